package dev.unmask.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.embedded.EmbeddedPostgres;
import dev.unmask.shared.job.Job;
import dev.unmask.shared.job.JobStatus;
import dev.unmask.shared.job.JobType;
import dev.unmask.shared.json.JsonCodec;
import dev.unmask.shared.store.ApiKeyStore;
import dev.unmask.shared.store.Database;
import dev.unmask.shared.store.EventStore;
import dev.unmask.shared.store.JobEvent;
import dev.unmask.shared.store.JobStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PostgreSQL restart shorter than the lease costs a running job nothing: its reports are kept
 * while the server is down and written in order once it is back (a real server process, stopped
 * and started again on the same data directory and port).
 */
@Timeout(120)
class RunningJobOutageTest {
    @TempDir
    Path dir;

    @Test
    void reportsDuringAnOutageAreWrittenInOrderWhenTheDatabaseIsBack() throws Exception {
        Path data = dir.resolve("pg");
        EmbeddedPostgres postgres = EmbeddedPostgres.start(data, 0);
        int port = postgres.port();
        try (Database db = Database.open(postgres.jdbcUrl(), postgres.username(), postgres.password(), 2, "outage")) {
            JobStore jobs = new JobStore(db);
            UUID owner = new ApiKeyStore(db).upsert("outage", ApiKeyStore.newSecret());
            UUID id = jobs.submit(owner, JobType.TRAIN, JsonCodec.MAPPER.createObjectNode(), 3, null, null, 10).job().id();
            Duration lease = Duration.ofSeconds(60);
            Job claimed = jobs.claim(id, "w1", lease).orElseThrow();
            RunningJob job = new RunningJob(claimed, "w1", jobs, lease);
            job.report(1, 10, "progress", step(1));

            postgres.close(); // the server stops; the pool's connections die with it
            for (int s = 2; s <= 5; s++) {
                job.report(s, 10, "progress", step(s)); // no exception: kept
            }
            assertEquals(4, job.unwritten());
            job.heartbeat(); // neither does a heartbeat throw while the reports cannot be written
            assertFalse(job.shouldStop());

            postgres = EmbeddedPostgres.start(data, port);
            job.report(6, 10, "progress", step(6));
            // the pool may hand out a connection that died with the old server once: the heartbeat retries
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> {
                        job.heartbeat();
                        return job.unwritten() == 0;
                    });
            List<Long> steps = new EventStore(db).after(id, 0, 100).stream().filter(e -> e.kind().equals("progress"))
                    .map(JobEvent::data).map(d -> d.path("step").asLong()).toList();
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), steps, "every report, in order");
            Job now = jobs.find(id).orElseThrow();
            assertEquals(JobStatus.RUNNING, now.status());
            assertEquals(6, now.progressStep());
            assertEquals(1, now.attempts(), "no attempt spent");
            assertTrue(jobs.succeed(id, "w1", JsonCodec.MAPPER.createObjectNode()));
        } finally {
            postgres.close();
        }
    }

    private static ObjectNode step(int s) {
        ObjectNode data = JsonCodec.MAPPER.createObjectNode();
        data.put("step", s);
        return data;
    }
}
