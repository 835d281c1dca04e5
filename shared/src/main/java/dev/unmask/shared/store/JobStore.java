package dev.unmask.shared.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.shared.job.Job;
import dev.unmask.shared.job.JobError;
import dev.unmask.shared.job.JobStatus;
import dev.unmask.shared.job.JobTransition;
import dev.unmask.shared.job.JobType;
import dev.unmask.shared.job.Topics;
import dev.unmask.shared.json.JsonCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code jobs} table. Every status change is an UPDATE built from its {@link JobTransition}:
 * it sets the new status only where the row is in the status the transition leaves, so an illegal
 * or stale change matches no row. Each writes a {@code status} event; changes that need a worker to
 * act also write an outbox record, in the same transaction.
 */
public final class JobStore {
    static final String COLUMNS = "id, owner, type, status, spec, result, error_code, error_message, attempts, "
            + "max_attempts, idempotency_key, worker_id, lease_until, cancel_requested, progress_step, "
            + "progress_total, created_at, started_at, finished_at";

    private final Database db;

    public JobStore(Database db) {
        this.db = db;
    }

    /**
     * Records a new queued job and its outbox record in one transaction. With an idempotency key
     * already used by this owner: the same request hash returns the existing job
     * ({@code created = false}); another hash throws {@link IdempotencyConflictException}.
     */
    public Submitted submit(UUID owner, JobType type, JsonNode spec, int maxAttempts, String idempotencyKey,
            String requestHash, long progressTotal) {
        return submitAll(List.of(new NewJob(owner, type, spec, maxAttempts, idempotencyKey, requestHash,
                progressTotal))).get(0).orThrow();
    }

    /**
     * Records several new jobs, each with its event and outbox records, in one statement (one
     * transaction: all of them commit, or none). Returns each job's outcome, in order: a job whose
     * key this owner used for another request is refused alone. A failure of the statement throws,
     * nothing written.
     */
    public List<SubmitOutcome> submitAll(List<NewJob> batch) {
        int n = batch.size();
        UUID[] ids = new UUID[n];
        Map<UUID, Job> created = db.statement("submit " + n + " job" + (n == 1 ? "" : "s"), c -> {
            UUID[] owners = new UUID[n];
            String[] types = new String[n];
            String[] specs = new String[n];
            Integer[] maxAttempts = new Integer[n];
            String[] keys = new String[n];
            String[] hashes = new String[n];
            Long[] totals = new Long[n];
            for (int i = 0; i < n; i++) {
                NewJob job = batch.get(i);
                ids[i] = UUID.randomUUID();
                owners[i] = job.owner();
                types[i] = job.type().wire();
                specs[i] = Rows.jsonText(job.spec());
                maxAttempts[i] = job.maxAttempts();
                keys[i] = job.idempotencyKey();
                hashes[i] = job.requestHash();
                totals[i] = job.progressTotal();
            }
            try (PreparedStatement ps = c.prepareStatement(SubmitStatement.SQL)) {
                ps.setArray(1, c.createArrayOf("uuid", ids));
                ps.setArray(2, c.createArrayOf("uuid", owners));
                ps.setArray(3, c.createArrayOf("text", types));
                ps.setArray(4, c.createArrayOf("text", specs));
                ps.setArray(5, c.createArrayOf("int4", maxAttempts));
                ps.setArray(6, c.createArrayOf("text", keys));
                ps.setArray(7, c.createArrayOf("text", hashes));
                ps.setArray(8, c.createArrayOf("int8", totals));
                Map<UUID, Job> rows = new java.util.HashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Job job = map(rs);
                        rows.put(job.id(), job);
                    }
                }
                return rows;
            }
        });
        List<SubmitOutcome> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Job job = created.get(ids[i]);
            results.add(job != null ? new SubmitOutcome(new Submitted(job, true), null) : existing(batch.get(i)));
        }
        return results;
    }

    /**
     * The job holding {@code job}'s idempotency key (committed: ON CONFLICT waited for the
     * transaction that took the key), or the conflict when it was submitted with another request.
     */
    private SubmitOutcome existing(NewJob job) {
        return db.statement("find idempotent job", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", request_hash FROM jobs "
                    + "WHERE owner = ? AND idempotency_key = ?")) {
                ps.setObject(1, job.owner());
                ps.setString(2, job.idempotencyKey());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("no job inserted or found for idempotency key "
                                + job.idempotencyKey());
                    }
                    Job existing = map(rs);
                    if (!java.util.Objects.equals(job.requestHash(), rs.getString("request_hash"))) {
                        return new SubmitOutcome(null,
                                new IdempotencyConflictException(job.idempotencyKey(), existing.id()));
                    }
                    return new SubmitOutcome(new Submitted(existing, false), null);
                }
            }
        });
    }

    public Optional<Job> find(UUID id) {
        return db.statement("find job", c -> select(c, id, false));
    }

    /** The job if {@code owner} owns it; another owner's job is as absent as a missing one. */
    public Optional<Job> findOwned(UUID id, UUID owner) {
        return db.statement("find job", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM jobs WHERE id = ? AND owner = ?")) {
                ps.setObject(1, id);
                ps.setObject(2, owner);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(map(rs)) : Optional.<Job>empty();
                }
            }
        });
    }

    /**
     * The jobs among {@code ids} that exist, by id, read by one statement (the gateway's coalesced
     * {@code GET /v1/jobs/{id}}); owners are the caller's to check.
     */
    public Map<UUID, Job> findAll(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return db.statement("find jobs", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM jobs WHERE id = ANY (?)")) {
                ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
                Map<UUID, Job> found = new HashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Job job = map(rs);
                        found.put(job.id(), job);
                    }
                }
                return found;
            }
        });
    }

    /** Newest first, filtered by status and type when given; {@code cursor} from the previous page. */
    public JobPage list(UUID owner, JobStatus status, JobType type, int limit, String cursor) {
        JobCursor after = cursor == null ? null : JobCursor.decode(cursor);
        return db.tx("list jobs", c -> {
            StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM jobs WHERE owner = ?");
            List<Object> args = new ArrayList<>(List.of(owner));
            if (status != null) {
                sql.append(" AND status = ?");
                args.add(status.wire());
            }
            if (type != null) {
                sql.append(" AND type = ?");
                args.add(type.wire());
            }
            if (after != null) {
                sql.append(" AND (created_at, id) < (?, ?)");
                args.add(Timestamp.from(after.createdAt()));
                args.add(after.id());
            }
            sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
            args.add(limit + 1);
            List<Job> jobs = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        jobs.add(map(rs));
                    }
                }
            }
            String next = null;
            if (jobs.size() > limit) {
                jobs.remove(limit);
                Job last = jobs.get(limit - 1);
                next = new JobCursor(last.createdAt(), last.id()).encode();
            }
            return new JobPage(jobs, next);
        });
    }

    /**
     * Takes a queued job for {@code workerId}: queued -> running with a lease, one more attempt.
     * Empty when the job is not queued (another worker has it, it finished, or it was cancelled):
     * a duplicate or redelivered record never runs a job twice at once.
     */
    public Optional<Job> claim(UUID id, String workerId, Duration lease) {
        JobTransition t = JobTransition.CLAIM;
        return db.tx("claim job", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET " + t.set() + ", worker_id = ?, "
                    + "lease_until = now() + ? * interval '1 millisecond', attempts = attempts + 1, "
                    + "started_at = coalesce(started_at, now()) "
                    + "WHERE id = ? AND " + t.guard() + " AND NOT cancel_requested RETURNING " + COLUMNS)) {
                ps.setString(1, workerId);
                ps.setLong(2, lease.toMillis());
                ps.setObject(3, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<Job>empty();
                    }
                    Job job = map(rs);
                    ObjectNode data = statusData(job);
                    data.put("worker", workerId);
                    EventStore.append(c, id, "status", data);
                    return Optional.of(job);
                }
            }
        });
    }

    /** Queued jobs per type (every type present, 0 when none): the queue depth. */
    public Map<JobType, Long> queuedCounts() {
        return db.tx("count queued jobs", c -> {
            Map<JobType, Long> counts = new EnumMap<>(JobType.class);
            for (JobType type : JobType.values()) {
                counts.put(type, 0L);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT type, count(*) FROM jobs WHERE status = 'queued' GROUP BY type");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(JobType.parse(rs.getString(1)), rs.getLong(2));
                }
            }
            return counts;
        });
    }

    /** Every running job with its worker and the time left on its lease. */
    public List<RunningLease> runningLeases() {
        return db.tx("read leases", c -> {
            List<RunningLease> leases = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, type, worker_id, "
                    + "EXTRACT(EPOCH FROM (lease_until - now())) AS seconds_left FROM jobs "
                    + "WHERE status = 'running' AND worker_id IS NOT NULL AND lease_until IS NOT NULL");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    leases.add(new RunningLease(Rows.uuid(rs, "id"), JobType.parse(rs.getString("type")),
                            rs.getString("worker_id"), rs.getDouble("seconds_left")));
                }
            }
            return leases;
        });
    }

    /** Extends the lease; tells whether the worker still owns the job and whether cancel was asked. */
    public ProgressAck heartbeat(UUID id, String workerId, Duration lease) {
        return db.tx("heartbeat", c -> touch(c, id, workerId, lease, -1, -1));
    }

    /**
     * Records progress and an event (kind {@code progress}, {@code frame}, {@code checkpoint} ...)
     * if the worker still owns the job; extends its lease.
     */
    public ProgressAck report(UUID id, String workerId, Duration lease, long step, long total, String kind,
            JsonNode data) {
        return db.tx("report progress", c -> {
            ProgressAck ack = touch(c, id, workerId, lease, step, total);
            if (ack.owned() && kind != null) {
                EventStore.append(c, id, kind, data);
            }
            return ack;
        });
    }

    /** One report of {@link #reportAll}: progress (step of total, -1 to leave it) and an event (kind null: none). */
    public record Report(UUID job, long step, long total, String kind, JsonNode data) {}

    /**
     * Several running jobs' reports in one transaction, in order (the frames of one denoising step
     * of a shared canvas): each job's lease and progress are touched once, its events appended.
     * Returns each job's acknowledgement.
     */
    public Map<UUID, ProgressAck> reportAll(String workerId, Duration lease, List<Report> reports) {
        return db.tx("report progress of " + reports.size(), c -> {
            Map<UUID, ProgressAck> acks = new java.util.LinkedHashMap<>();
            for (Report r : reports) {
                ProgressAck ack = acks.get(r.job());
                if (ack == null) {
                    ack = touch(c, r.job(), workerId, lease, r.step(), r.total());
                    acks.put(r.job(), ack);
                }
                if (ack.owned() && r.kind() != null) {
                    EventStore.append(c, r.job(), r.kind(), r.data());
                }
            }
            return acks;
        });
    }

    private static ProgressAck touch(Connection c, UUID id, String workerId, Duration lease, long step, long total)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET lease_until = now() + ? * interval '1 millisecond', "
                + "progress_step = CASE WHEN ? >= 0 THEN ? ELSE progress_step END, "
                + "progress_total = CASE WHEN ? >= 0 THEN ? ELSE progress_total END "
                + "WHERE id = ? AND worker_id = ? AND status = 'running' RETURNING cancel_requested")) {
            ps.setLong(1, lease.toMillis());
            ps.setLong(2, step);
            ps.setLong(3, step);
            ps.setLong(4, total);
            ps.setLong(5, total);
            ps.setObject(6, id);
            ps.setString(7, workerId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new ProgressAck(true, rs.getBoolean(1)) : new ProgressAck(false, false);
            }
        }
    }

    /** running -> succeeded with its result; false when the worker no longer owns the job. */
    public boolean succeed(UUID id, String workerId, JsonNode result) {
        JobTransition t = JobTransition.SUCCEED;
        return db.tx("finish job", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET " + t.set() + ", result = ?, "
                    + "finished_at = now(), lease_until = NULL, error_code = NULL, error_message = NULL, "
                    + "progress_step = progress_total "
                    + "WHERE id = ? AND worker_id = ? AND " + t.guard() + " RETURNING " + COLUMNS)) {
                Rows.setJson(ps, 1, result);
                ps.setObject(2, id);
                ps.setString(3, workerId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    EventStore.append(c, id, "status", statusData(map(rs)));
                    return true;
                }
            }
        });
    }

    /** running -> cancelled, after the worker stopped at a user's request. */
    public boolean cancelled(UUID id, String workerId) {
        JobTransition t = JobTransition.CANCEL_RUNNING;
        return db.tx("cancel running job", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET " + t.set() + ", finished_at = now(), "
                    + "lease_until = NULL WHERE id = ? AND worker_id = ? AND " + t.guard() + " RETURNING " + COLUMNS)) {
                ps.setObject(1, id);
                ps.setString(2, workerId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    EventStore.append(c, id, "status", statusData(map(rs)));
                    return true;
                }
            }
        });
    }

    /**
     * A failed attempt. A {@link JobError#retryable() retryable} error with attempts left puts
     * the job back in the queue (published again after {@code backoff}); otherwise it fails for
     * good and goes to the dead-letter topic too. Returns the status the job is now in, or empty
     * when the worker no longer owns it.
     */
    public Optional<JobStatus> fail(UUID id, String workerId, JobError error, Duration backoff) {
        return db.tx("fail job", c -> {
            Optional<Job> current = select(c, id, true);
            if (current.isEmpty() || current.get().status() != JobStatus.RUNNING
                    || !workerId.equals(current.get().workerId())) {
                return Optional.<JobStatus>empty();
            }
            return Optional.of(failLocked(c, current.get(), error, backoff));
        });
    }

    /**
     * Hands a running job back without spending an attempt (the worker is shutting down):
     * running -> queued, published again at once.
     */
    public boolean release(UUID id, String workerId) {
        JobTransition t = JobTransition.REQUEUE;
        return db.tx("release job", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET " + t.set() + ", worker_id = NULL, "
                    + "lease_until = NULL, attempts = greatest(attempts - 1, 0) "
                    + "WHERE id = ? AND worker_id = ? AND " + t.guard() + " RETURNING " + COLUMNS)) {
                ps.setObject(1, id);
                ps.setString(2, workerId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    Job job = map(rs);
                    ObjectNode data = statusData(job);
                    data.put("reason", "worker_shutdown");
                    EventStore.append(c, id, "status", data);
                    Outbox.add(c, job.type().topic(), id.toString(), delivery(job), Duration.ZERO);
                    return true;
                }
            }
        });
    }

    /**
     * A user's cancel: a queued job is cancelled at once; a running one gets
     * {@code cancel_requested} and its worker stops within one step; a finished one is unchanged.
     */
    public CancelOutcome requestCancel(UUID id) {
        return db.tx("cancel job", c -> {
            Job job = select(c, id, true).orElseThrow(() -> new IllegalArgumentException("no job " + id));
            switch (job.status()) {
                case QUEUED -> {
                    JobTransition t = JobTransition.CANCEL_QUEUED;
                    Job cancelled = updateReturning(c, "UPDATE jobs SET " + t.set() + ", cancel_requested = true, "
                            + "finished_at = now() WHERE id = ? AND " + t.guard() + " RETURNING " + COLUMNS, id);
                    EventStore.append(c, id, "status", statusData(cancelled));
                    return new CancelOutcome(CancelOutcome.Effect.CANCELLED, cancelled);
                }
                case RUNNING -> {
                    Job requested = updateReturning(c, "UPDATE jobs SET cancel_requested = true "
                            + "WHERE id = ? AND status = 'running' RETURNING " + COLUMNS, id);
                    ObjectNode data = JsonCodec.MAPPER.createObjectNode();
                    data.put("cancel_requested", true);
                    EventStore.append(c, id, "cancel_requested", data);
                    return new CancelOutcome(CancelOutcome.Effect.REQUESTED, requested);
                }
                default -> {
                    return new CancelOutcome(CancelOutcome.Effect.ALREADY_FINISHED, job);
                }
            }
        });
    }

    /**
     * Stranded jobs: queued longer than {@code age} since their latest record was published (or
     * since they were created, if none was stamped: a record published within
     * {@link OutboxStore#STAMP_AFTER} of the job's creation is not), with no outbox row pending.
     * Their record was lost on the way (dropped, or archived by Kafka after too many deliveries),
     * so each gets a new one.
     * A job that merely waits for a free worker is published again at most once per {@code age};
     * claims are conditional, so an extra record is harmless. Returns how many were re-published.
     */
    public int redeliverStranded(Duration age, int limit) {
        return db.tx("redeliver stranded jobs", c -> {
            List<Job> stranded = new ArrayList<>();
            // The outbox's keys read once (it has no index on them): as a correlated NOT EXISTS the plan could
            // scan the outbox again for every candidate, 57 ms a job with a backlog of 17,000 rows.
            try (PreparedStatement ps = c.prepareStatement("WITH pending AS MATERIALIZED (SELECT record_key FROM outbox) "
                    + "SELECT " + COLUMNS + " FROM jobs j WHERE status = 'queued' "
                    + "AND coalesce(published_at, created_at) < now() - ? * interval '1 millisecond' "
                    + "AND NOT EXISTS (SELECT 1 FROM pending p WHERE p.record_key = j.id::text) "
                    + "ORDER BY coalesce(published_at, created_at) LIMIT ? FOR UPDATE OF j SKIP LOCKED")) {
                ps.setLong(1, age.toMillis());
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        stranded.add(map(rs));
                    }
                }
            }
            for (Job job : stranded) {
                Outbox.add(c, job.type().topic(), job.id().toString(), delivery(job), Duration.ZERO);
            }
            return stranded.size();
        });
    }

    /**
     * The reaper: running jobs whose lease ran out (their worker died) go back to the queue if
     * attempts remain, else fail with {@code lease_expired}. Returns how many were handled.
     */
    public int reapExpiredLeases(int limit, Duration backoff) {
        return db.tx("reap expired leases", c -> {
            List<Job> expired = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM jobs WHERE status = 'running' "
                    + "AND lease_until < now() ORDER BY lease_until LIMIT ? FOR UPDATE SKIP LOCKED")) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        expired.add(map(rs));
                    }
                }
            }
            for (Job job : expired) {
                failLocked(c, job, JobError.transientError("lease_expired",
                        "worker " + job.workerId() + " stopped heartbeating"), backoff);
            }
            return expired.size();
        });
    }

    private static JobStatus failLocked(Connection c, Job job, JobError error, Duration backoff) throws SQLException {
        boolean retry = error.retryable() && job.attempts() < job.maxAttempts() && !job.cancelRequested();
        JobTransition t = JobTransition.between(job.status(), retry ? JobStatus.QUEUED : JobStatus.FAILED);
        String sql = retry
                ? "UPDATE jobs SET " + t.set() + ", worker_id = NULL, lease_until = NULL, error_code = ?, "
                        + "error_message = ? WHERE id = ? AND " + t.guard() + " RETURNING " + COLUMNS
                : "UPDATE jobs SET " + t.set() + ", lease_until = NULL, error_code = ?, error_message = ?, "
                        + "finished_at = now() WHERE id = ? AND " + t.guard() + " RETURNING " + COLUMNS;
        Job updated;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, error.code());
            ps.setString(2, truncate(error.message(), 4000));
            ps.setObject(3, job.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                updated = map(rs);
            }
        }
        EventStore.append(c, job.id(), "status", statusData(updated));
        if (retry) {
            Outbox.add(c, job.type().topic(), job.id().toString(), delivery(updated), backoff);
        } else {
            ObjectNode dead = delivery(updated);
            dead.put("error_code", error.code());
            dead.put("error_message", truncate(error.message(), 4000));
            Outbox.add(c, Topics.DLQ, job.id().toString(), dead, Duration.ZERO);
        }
        return t.to();
    }

    private static Job updateReturning(Connection c, String sql, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no job " + id + " in the status this change needs");
                }
                return map(rs);
            }
        }
    }

    private static Optional<Job> select(Connection c, UUID id, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM jobs WHERE id = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    /** The Kafka record of a job to run: {@code {job_id, type, attempt}}; the worker reads the rest from the row. */
    static ObjectNode delivery(Job job) {
        ObjectNode json = JsonCodec.MAPPER.createObjectNode();
        json.put("job_id", job.id().toString());
        json.put("type", job.type().wire());
        json.put("attempts", job.attempts());
        return json;
    }

    /**
     * A status event's data: {@code {status, type, attempts, created_at, started_at?, finished_at?, error?}}
     * (the times let a reader of the event stream measure queueing and run time without a lookup).
     */
    static ObjectNode statusData(Job job) {
        ObjectNode data = JsonCodec.MAPPER.createObjectNode();
        data.put("status", job.status().wire());
        data.put("type", job.type().wire());
        data.put("attempts", job.attempts());
        data.put("created_at", job.createdAt().toString());
        if (job.startedAt() != null) {
            data.put("started_at", job.startedAt().toString());
        }
        if (job.finishedAt() != null) {
            data.put("finished_at", job.finishedAt().toString());
        }
        if (job.errorCode() != null) {
            ObjectNode error = data.putObject("error");
            error.put("code", job.errorCode());
            error.put("message", job.errorMessage());
        }
        return data;
    }

    private static String truncate(String s, int max) {
        return s == null ? "" : s.length() <= max ? s : s.substring(0, max);
    }

    static Job map(ResultSet rs) throws SQLException {
        return new Job(
                Rows.uuid(rs, "id"),
                Rows.uuid(rs, "owner"),
                JobType.parse(rs.getString("type")),
                JobStatus.parse(rs.getString("status")),
                Rows.json(rs, "spec"),
                Rows.json(rs, "result"),
                rs.getString("error_code"),
                rs.getString("error_message"),
                rs.getInt("attempts"),
                rs.getInt("max_attempts"),
                rs.getString("idempotency_key"),
                rs.getString("worker_id"),
                Rows.instant(rs, "lease_until"),
                rs.getBoolean("cancel_requested"),
                rs.getLong("progress_step"),
                rs.getLong("progress_total"),
                Rows.instant(rs, "created_at"),
                Rows.instant(rs, "started_at"),
                Rows.instant(rs, "finished_at"));
    }
}
