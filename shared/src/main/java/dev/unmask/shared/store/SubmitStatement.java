package dev.unmask.shared.store;

import dev.unmask.shared.job.Topics;

/**
 * A submit as one statement, so it is one round trip and its own transaction: the job row, its
 * {@code status} event, the event's outbox record and the job's delivery record are written by
 * data-modifying CTEs that commit together or not at all. When the idempotency key is taken the
 * job insert does nothing, so neither do the inserts that read from it, and no row comes back.
 *
 * <p>The JSON it writes is what {@link JobStore#statusData}, {@link EventStore#toJson} and
 * {@link JobStore#delivery} build in Java for the same rows (jsonb keeps no key order, so only keys
 * and values count; times are rendered by {@link InstantSql}).
 *
 * <p>Parameters: 1 id, 2 owner, 3 type, 4 spec (jsonb), 5 max_attempts, 6 idempotency_key,
 * 7 request_hash, 8 progress_total, 9 the job's topic. Returns {@link JobStore#COLUMNS} of the new job.
 */
final class SubmitStatement {
    private SubmitStatement() {}

    static final String SQL = "WITH job AS ("
            + "INSERT INTO jobs (id, owner, type, status, spec, max_attempts, idempotency_key, request_hash, "
            + "progress_total) VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, ?) "
            + "ON CONFLICT (owner, idempotency_key) DO NOTHING RETURNING " + JobStore.COLUMNS + "), "
            + "event AS (INSERT INTO job_events (job_id, kind, data) SELECT id, 'status', jsonb_build_object("
            + "'status', status, 'type', type, 'attempts', attempts, 'created_at', " + InstantSql.text("created_at")
            + ") FROM job RETURNING id, job_id, kind, data, created_at), "
            + "records AS (INSERT INTO outbox (topic, record_key, payload) "
            + "SELECT '" + Topics.EVENTS + "', e.job_id::text, jsonb_build_object('id', e.id, 'job_id', e.job_id, "
            + "'kind', e.kind, 'data', e.data, 'created_at', " + InstantSql.text("e.created_at") + ") FROM event e "
            + "UNION ALL SELECT ?, j.id::text, jsonb_build_object('job_id', j.id, 'type', j.type, "
            + "'attempts', j.attempts) FROM job j) "
            + "SELECT " + JobStore.COLUMNS + " FROM job";
}
