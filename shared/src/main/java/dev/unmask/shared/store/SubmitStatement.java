package dev.unmask.shared.store;

import dev.unmask.shared.job.JobType;
import dev.unmask.shared.job.Topics;

/**
 * Submits as one statement, so any number of them is one round trip and one transaction (one WAL
 * flush): the job rows, their {@code status} events and the jobs' delivery records are written by
 * data-modifying CTEs that commit together or not at all. The jobs come in as parallel arrays, one
 * element per job. A job whose idempotency key is taken is not inserted, so neither is anything
 * that reads from it, and no row comes back for it.
 *
 * <p>A job's first event is the one event not put on {@link Topics#EVENTS}: that topic feeds the
 * gateways' live SSE streams, a stream exists only for a job its client could name, and a client
 * learns the id only from this statement's reply, after the event committed; a stream opened then
 * replays it from {@code job_events} ({@code SseStream}). Every later event goes through
 * {@link EventStore#append} and its outbox record. Skipping the record halves the outbox rows,
 * relay passes and broker appends a submit costs (BENCHMARKS.md, 2026-12-01 22:25).
 *
 * <p>The JSON it writes is what {@link JobStore#statusData} and {@link JobStore#delivery} build in
 * Java for the same rows (jsonb keeps no key order, so only keys and values count; times are
 * rendered by {@link InstantSql}).
 *
 * <p>Parameters, arrays: 1 id uuid[], 2 owner uuid[], 3 type text[], 4 spec jsonb[] (as text[]),
 * 5 max_attempts int[], 6 idempotency_key text[], 7 request_hash text[], 8 progress_total bigint[].
 * Returns {@link JobStore#COLUMNS} of each job inserted.
 */
final class SubmitStatement {
    private SubmitStatement() {}

    static final String SQL = "WITH job AS ("
            + "INSERT INTO jobs (id, owner, type, status, spec, max_attempts, idempotency_key, request_hash, "
            + "progress_total) SELECT i.id, i.owner, i.type, 'queued', i.spec::jsonb, i.max_attempts, i.idempotency_key, "
            + "i.request_hash, i.progress_total FROM unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::int[], "
            + "?::text[], ?::text[], ?::bigint[]) WITH ORDINALITY AS i(id, owner, type, spec, max_attempts, "
            + "idempotency_key, request_hash, progress_total, n) ORDER BY i.n "
            + "ON CONFLICT (owner, idempotency_key) DO NOTHING RETURNING " + JobStore.COLUMNS + "), "
            + "event AS (INSERT INTO job_events (job_id, kind, data) SELECT id, 'status', jsonb_build_object("
            + "'status', status, 'type', type, 'attempts', attempts, 'created_at', " + InstantSql.text("created_at")
            + ") FROM job), "
            + "records AS (INSERT INTO outbox (topic, record_key, payload) "
            + "SELECT " + topicOf("j.type") + ", j.id::text, jsonb_build_object('job_id', j.id, "
            + "'type', j.type, 'attempts', j.attempts) FROM job j) "
            + "SELECT " + JobStore.COLUMNS + " FROM job";

    /** {@code CASE type WHEN 'train' THEN 'unmask.jobs.train' ... END}: {@link JobType#topic()} in SQL. */
    private static String topicOf(String column) {
        StringBuilder sql = new StringBuilder("CASE " + column);
        for (JobType type : JobType.values()) {
            sql.append(" WHEN '").append(type.wire()).append("' THEN '").append(type.topic()).append("'");
        }
        return sql.append(" END").toString();
    }
}
