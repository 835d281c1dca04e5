package dev.unmask.shared.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.shared.job.Job;
import dev.unmask.shared.job.JobType;
import dev.unmask.shared.json.JsonCodec;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link EventStore#prune} against a real PostgreSQL: what goes, what stays. */
class EventPruneTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private final JobStore jobs = new JobStore(PG.db());
    private final EventStore events = new EventStore(PG.db());
    private final UUID owner = new ApiKeyStore(PG.db()).upsert("key-" + UUID.randomUUID(), ApiKeyStore.newSecret());

    @Test
    void eventsOfJobsFinishedBeforeTheRetentionGoExceptTheirStatusChanges() {
        UUID old = finishedJob(Duration.ofHours(3));
        UUID recent = finishedJob(Duration.ofMinutes(30));
        UUID running = job();
        jobs.claim(running, "w1", Duration.ofMinutes(1));
        progress(running, 3);

        int deleted = events.prune(Duration.ofHours(1), 100);

        assertEquals(3, deleted, "the three progress events of the job finished 3 hours ago");
        assertEquals(List.of("status", "status", "status"), kinds(old), "queued, running, succeeded stay");
        assertEquals(List.of("status", "status", "progress", "progress", "progress", "status"), kinds(recent));
        assertEquals(List.of("status", "status", "progress", "progress", "progress"), kinds(running));
        assertEquals(0, events.prune(Duration.ofHours(1), 100), "nothing left to prune");
    }

    @Test
    void aPassDeletesAtMostItsLimit() {
        UUID old = finishedJob(Duration.ofHours(3));
        assertEquals(2, events.prune(Duration.ofHours(1), 2));
        assertEquals(1, events.prune(Duration.ofHours(1), 2));
        assertEquals(List.of("status", "status", "status"), kinds(old));
    }

    /** A job that ran (three progress events) and succeeded {@code ago}. */
    private UUID finishedJob(Duration ago) {
        UUID id = job();
        jobs.claim(id, "w1", Duration.ofMinutes(1));
        progress(id, 3);
        jobs.succeed(id, "w1", JsonCodec.MAPPER.createObjectNode());
        PG.db().tx("backdate", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE jobs SET finished_at = now() - ? * interval '1 second' WHERE id = ?")) {
                ps.setLong(1, ago.toSeconds());
                ps.setObject(2, id);
                return ps.executeUpdate();
            }
        });
        return id;
    }

    private UUID job() {
        ObjectNode spec = JsonCodec.MAPPER.createObjectNode();
        spec.put("type", "train");
        Job job = jobs.submit(owner, JobType.TRAIN, spec, 3, null, null, 3).job();
        return job.id();
    }

    private void progress(UUID id, int steps) {
        for (int step = 1; step <= steps; step++) {
            ObjectNode data = JsonCodec.MAPPER.createObjectNode();
            data.put("step", step);
            jobs.report(id, "w1", Duration.ofMinutes(1), step, steps, "progress", data);
        }
    }

    private List<String> kinds(UUID id) {
        return events.after(id, 0, 100).stream().map(JobEvent::kind).toList();
    }
}
