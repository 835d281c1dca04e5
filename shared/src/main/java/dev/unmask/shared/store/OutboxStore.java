package dev.unmask.shared.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The relay's side of the outbox: take due rows, publish, delete, in one transaction. */
public final class OutboxStore {
    private static final java.util.Set<String> JOB_TOPICS = java.util.Set.of(
            dev.unmask.shared.job.Topics.TRAIN, dev.unmask.shared.job.Topics.GENERATE);
    /** Publishes records; throws when any was not acknowledged (then nothing is deleted). */
    @FunctionalInterface
    public interface Publisher {
        void publish(List<OutboxRecord> records) throws Exception;
    }

    /**
     * A job record published this soon after its job was created leaves {@code published_at} unset:
     * {@code coalesce(published_at, created_at)} is then less than this before the publication,
     * far under any redelivery age (at least a second; a record published again a moment early is
     * harmless, claims are conditional). So a fresh submit costs no second version of its job row
     * (a non-HOT update: {@code jobs_queued_published} indexes the column, every index written again);
     * retries and re-publications, whose jobs are older, are stamped.
     */
    static final String STAMP_AFTER = "1 second";

    private final Database db;

    public OutboxStore(Database db) {
        this.db = db;
    }

    /**
     * Locks up to {@code limit} due rows (skipping rows another relay holds), hands them to
     * {@code publisher}, and deletes them once it returns. Returns how many were published.
     */
    public int relay(int limit, Publisher publisher) {
        // also stamps jobs.published_at of the jobs whose records went out, unless just created (see
        // STAMP_AFTER and JobStore#redeliverStranded)
        return db.tx("relay outbox", c -> {
            List<OutboxRecord> due = new ArrayList<>();
            List<String> places = new ArrayList<>(); // each row's ctid, stable while this transaction holds its lock
            try (PreparedStatement ps = c.prepareStatement("SELECT id, topic, record_key, payload::text, ctid::text "
                    + "FROM outbox WHERE available_at <= now() ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED")) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        due.add(new OutboxRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                        places.add(rs.getString(5));
                    }
                }
            }
            if (due.isEmpty()) {
                return 0;
            }
            try {
                publisher.publish(due);
            } catch (Exception e) {
                throw new StoreException("publish " + due.size() + " outbox records", e);
            }
            // By place (a TID scan whatever the statistics say; the ids checked as well). By id alone it once
            // took 366 ms a pass of 200 rows (pg_stat_statements), what a sequential scan of the whole outbox,
            // dead rows included, testing each row against the array costs, and the outbox grew faster than
            // the relay emptied it (BENCHMARKS.md, "the relay stall").
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM outbox WHERE ctid = ANY (?::tid[]) AND id = ANY (?)")) {
                ps.setArray(1, c.createArrayOf("text", places.toArray()));
                ps.setArray(2, c.createArrayOf("bigint", due.stream().map(OutboxRecord::id).toArray()));
                ps.executeUpdate(); // a row not found stays and is published again: never lost
            }
            // By uuid and by nothing else, so that only the primary key can find the rows; the status is
            // tested in the SET. (id::text = ANY read the whole table every pass; a status = 'queued'
            // condition let the planner, whose statistics lag a fast-growing queue, AND the key with
            // the queued-jobs index or hash-join the array with every queued job: 20,000 index entries
            // read per pass, 14-66 ms a pass, with 20,000 jobs waiting.)
            Object[] jobs = due.stream().filter(r -> JOB_TOPICS.contains(r.topic())).map(r -> UUID.fromString(r.key()))
                    .toArray();
            if (jobs.length > 0) {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE jobs SET published_at = CASE WHEN status = 'queued' THEN now() ELSE published_at END "
                                + "WHERE id = ANY (?) AND created_at < now() - interval '" + STAMP_AFTER + "'")) {
                    ps.setArray(1, c.createArrayOf("uuid", jobs));
                    ps.executeUpdate();
                }
            }
            return due.size();
        });
    }

    /** Rows waiting, due or not (for metrics and tests). */
    public long pending() {
        return db.tx("count outbox", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM outbox");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
