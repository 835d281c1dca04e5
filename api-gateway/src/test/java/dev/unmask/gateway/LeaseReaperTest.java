package dev.unmask.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unmask.shared.job.Job;
import dev.unmask.shared.job.JobStatus;
import dev.unmask.shared.job.Topics;
import dev.unmask.shared.store.JobStore;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A job whose worker stopped heartbeating goes back to the queue and is delivered again. */
class LeaseReaperTest {
    private final TestEnv env = TestEnv.get();
    private final TestEnv.Key key = env.newKey();

    @Test
    void expiredLeaseIsRequeuedAndRedelivered() {
        JobStore jobs = new JobStore(env.db);
        String id = env.api(key).submit(Fixtures.train(Fixtures.dataset(env, key), 3), null).json().path("id").asText();
        UUID job = UUID.fromString(id);
        assertTrue(jobs.claim(job, "dead-worker", Duration.ofMillis(1)).isPresent());

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            env.gateway.reaper().reap();
            return jobs.find(job).orElseThrow().status() == JobStatus.QUEUED;
        });
        Job requeued = jobs.find(job).orElseThrow();
        assertEquals("lease_expired", requeued.errorCode());
        assertEquals(1, requeued.attempts());

        try (TopicReader reader = new TopicReader(env.kafka.bootstrapServers(), Topics.TRAIN)) {
            reader.awaitKey(id);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                reader.awaitKey(id);
                return reader.withKey(id).size() == 2;
            });
        }
    }
}
