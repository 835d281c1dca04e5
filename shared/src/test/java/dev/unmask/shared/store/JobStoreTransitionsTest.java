package dev.unmask.shared.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.shared.job.Job;
import dev.unmask.shared.job.JobError;
import dev.unmask.shared.job.JobStatus;
import dev.unmask.shared.job.JobTransition;
import dev.unmask.shared.job.JobType;
import dev.unmask.shared.json.JsonCodec;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Against a real PostgreSQL, every status-changing operation of {@link JobStore} applied to a job
 * in every status: the row changes exactly when it is in the status the operation's
 * {@link JobTransition} leaves, and then to the status it names; from any other status nothing changes.
 */
class JobStoreTransitionsTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final String WORKER = "w1";
    private static final Duration LEASE = Duration.ofSeconds(30);

    private final JobStore jobs = new JobStore(PG.db());
    private final UUID owner = new ApiKeyStore(PG.db()).upsert("key-" + UUID.randomUUID(), ApiKeyStore.newSecret());

    /** Each operation and the change it makes. */
    private final Map<JobTransition, Consumer<UUID>> operations = Map.of(
            JobTransition.CLAIM, id -> jobs.claim(id, WORKER, LEASE),
            JobTransition.CANCEL_QUEUED, id -> jobs.requestCancel(id),
            JobTransition.SUCCEED, id -> jobs.succeed(id, WORKER, JsonCodec.MAPPER.createObjectNode()),
            JobTransition.FAIL, id -> jobs.fail(id, WORKER, JobError.permanent("bad", "no"), Duration.ZERO),
            JobTransition.CANCEL_RUNNING, id -> jobs.cancelled(id, WORKER),
            JobTransition.REQUEUE, id -> jobs.release(id, WORKER));

    @Test
    void everyOperationChangesAJobOnlyFromTheStatusItsTransitionLeaves() {
        assertEquals(JobTransition.values().length, operations.size(), "an operation for every transition");
        for (Map.Entry<JobTransition, Consumer<UUID>> op : operations.entrySet()) {
            JobTransition t = op.getKey();
            for (JobStatus start : JobStatus.values()) {
                UUID id = jobIn(start);
                op.getValue().accept(id);
                JobStatus now = jobs.find(id).orElseThrow().status();
                JobStatus expected = start == t.from() ? t.to() : start;
                assertEquals(expected, now, t + " applied to a " + start.wire() + " job");
            }
        }
    }

    @Test
    void theReaperRequeuesOnlyRunningJobs() {
        for (JobStatus start : JobStatus.values()) {
            UUID id = jobIn(start);
            PG.db().tx("expire lease", c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE jobs SET lease_until = now() - interval '1 minute' WHERE id = ?")) {
                    ps.setObject(1, id);
                    return ps.executeUpdate();
                }
            });
            jobs.reapExpiredLeases(100, Duration.ZERO);
            JobStatus expected = start == JobStatus.RUNNING ? JobStatus.QUEUED : start;
            assertEquals(expected, jobs.find(id).orElseThrow().status(), "reaping a " + start.wire() + " job");
        }
    }

    /** A job of this owner put straight into {@code status} (held by {@link #WORKER}), bypassing the store. */
    private UUID jobIn(JobStatus status) {
        ObjectNode spec = JsonCodec.MAPPER.createObjectNode();
        spec.put("type", "generate");
        Job job = jobs.submit(owner, JobType.GENERATE, spec, 3, null, null, 10).job();
        PG.db().tx("force status", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET status = ?, worker_id = ?, "
                    + "attempts = 1, lease_until = now() + interval '1 minute' WHERE id = ?")) {
                ps.setString(1, status.wire());
                ps.setString(2, WORKER);
                ps.setObject(3, job.id());
                return ps.executeUpdate();
            }
        });
        return job.id();
    }
}
