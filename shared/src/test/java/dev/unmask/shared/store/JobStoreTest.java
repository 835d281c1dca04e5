package dev.unmask.shared.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.shared.job.Job;
import dev.unmask.shared.job.JobError;
import dev.unmask.shared.job.JobStatus;
import dev.unmask.shared.job.JobType;
import dev.unmask.shared.job.Topics;
import dev.unmask.shared.json.JsonCodec;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The job lifecycle against a real PostgreSQL: claims, leases, retries, cancellation, outbox, paging. */
class JobStoreTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    JobStore jobs;
    UUID owner;

    @BeforeEach
    void setUp() {
        jobs = new JobStore(PG.db());
        owner = new ApiKeyStore(PG.db()).upsert("key-" + UUID.randomUUID(), ApiKeyStore.newSecret());
    }

    private Job submit(JobType type, int maxAttempts) {
        return jobs.submit(owner, type, spec(type), maxAttempts, null, null, 10).job();
    }

    private static ObjectNode spec(JobType type) {
        ObjectNode spec = JsonCodec.MAPPER.createObjectNode();
        spec.put("type", type.wire());
        return spec;
    }

    @Test
    void submitWritesTheJobItsEventAndItsOutboxRecordTogether() {
        Job job = submit(JobType.TRAIN, 3);
        assertEquals(JobStatus.QUEUED, job.status());
        assertEquals(1, outboxRows(Topics.TRAIN, job.id()));
        assertEquals(0, outboxRows(Topics.EVENTS, job.id()), "the first event is read from the table, not streamed");
        List<JobEvent> events = new EventStore(PG.db()).after(job.id(), 0, 10);
        assertEquals("status", events.get(0).kind());
        assertEquals("queued", events.get(0).data().path("status").asText());
    }

    @Test
    void aJobIsClaimedOnceEvenWhenItsRecordArrivesTwice() {
        Job job = submit(JobType.GENERATE, 3);
        assertTrue(jobs.claim(job.id(), "w1", Duration.ofSeconds(30)).isPresent());
        assertTrue(jobs.claim(job.id(), "w2", Duration.ofSeconds(30)).isEmpty());
        Job running = jobs.find(job.id()).orElseThrow();
        assertEquals(JobStatus.RUNNING, running.status());
        assertEquals("w1", running.workerId());
        assertEquals(1, running.attempts());
    }

    @Test
    void idempotentSubmitReturnsTheSameJobAndRefusesAnotherBody() {
        Submitted first = jobs.submit(owner, JobType.TRAIN, spec(JobType.TRAIN), 3, "k1", "hash-a", 10);
        Submitted again = jobs.submit(owner, JobType.TRAIN, spec(JobType.TRAIN), 3, "k1", "hash-a", 10);
        assertTrue(first.created());
        assertFalse(again.created());
        assertEquals(first.job().id(), again.job().id());
        IdempotencyConflictException e = assertThrows(IdempotencyConflictException.class,
                () -> jobs.submit(owner, JobType.TRAIN, spec(JobType.TRAIN), 3, "k1", "hash-b", 10));
        assertEquals(first.job().id(), e.existingJob());
    }

    @Test
    void aRetryableFailureRequeuesWithBackoffUntilAttemptsRunOutThenDeadLetters() {
        Job job = submit(JobType.TRAIN, 2);
        jobs.claim(job.id(), "w1", Duration.ofSeconds(30)).orElseThrow();
        assertEquals(JobStatus.QUEUED, jobs.fail(job.id(), "w1", JobError.transientError("io_error", "disk"),
                Duration.ofHours(1)).orElseThrow());
        Job requeued = jobs.find(job.id()).orElseThrow();
        assertEquals("io_error", requeued.errorCode());
        // The retry waits in the outbox for its backoff: a relay pass publishes everything due, not it.
        new OutboxStore(PG.db()).relay(10_000, records -> { });
        assertEquals(1, outboxRows(Topics.TRAIN, job.id()));
        jobs.claim(job.id(), "w2", Duration.ofSeconds(30)).orElseThrow();
        assertEquals(JobStatus.FAILED, jobs.fail(job.id(), "w2", JobError.transientError("io_error", "disk"),
                Duration.ZERO).orElseThrow());
        assertEquals(1, outboxRows(Topics.DLQ, job.id()));
        assertEquals(2, jobs.find(job.id()).orElseThrow().attempts());
    }

    @Test
    void aPermanentFailureFailsAtOnce() {
        Job job = submit(JobType.TRAIN, 5);
        jobs.claim(job.id(), "w1", Duration.ofSeconds(30)).orElseThrow();
        assertEquals(JobStatus.FAILED, jobs.fail(job.id(), "w1", JobError.permanent("unknown_dataset", "gone"),
                Duration.ZERO).orElseThrow());
        Job failed = jobs.find(job.id()).orElseThrow();
        assertEquals("unknown_dataset", failed.errorCode());
        assertTrue(failed.finishedAt() != null);
    }

    @Test
    void onlyTheLeaseHolderCanReportOrFinish() {
        Job job = submit(JobType.TRAIN, 3);
        jobs.claim(job.id(), "w1", Duration.ofSeconds(30)).orElseThrow();
        assertFalse(jobs.report(job.id(), "w2", Duration.ofSeconds(30), 1, 10, "progress",
                JsonCodec.MAPPER.createObjectNode()).owned());
        assertFalse(jobs.succeed(job.id(), "w2", JsonCodec.MAPPER.createObjectNode()));
        assertTrue(jobs.report(job.id(), "w1", Duration.ofSeconds(30), 4, 10, "progress",
                JsonCodec.MAPPER.createObjectNode()).owned());
        assertEquals(4, jobs.find(job.id()).orElseThrow().progressStep());
        assertTrue(jobs.succeed(job.id(), "w1", JsonCodec.MAPPER.createObjectNode().put("ok", true)));
        assertEquals(JobStatus.SUCCEEDED, jobs.find(job.id()).orElseThrow().status());
    }

    @Test
    void theReaperRequeuesJobsWhoseLeaseExpired() {
        Job job = submit(JobType.TRAIN, 3);
        jobs.claim(job.id(), "dead", Duration.ofMillis(1)).orElseThrow();
        PG.db().tx("wait for lease", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_sleep(0.01)")) {
                ps.executeQuery().close();
            }
            return null;
        });
        assertTrue(jobs.reapExpiredLeases(100, Duration.ZERO) >= 1);
        Job requeued = jobs.find(job.id()).orElseThrow();
        assertEquals(JobStatus.QUEUED, requeued.status());
        assertEquals("lease_expired", requeued.errorCode());
        assertNull(requeued.workerId());
        assertFalse(jobs.heartbeat(job.id(), "dead", Duration.ofSeconds(30)).owned());
        assertTrue(jobs.claim(job.id(), "alive", Duration.ofSeconds(30)).isPresent());
    }

    @Test
    void cancelQueuedIsImmediateCancelRunningIsRequestedFinishedIsUnchanged() {
        Job queued = submit(JobType.GENERATE, 3);
        assertEquals(CancelOutcome.Effect.CANCELLED, jobs.requestCancel(queued.id()).effect());
        assertEquals(JobStatus.CANCELLED, jobs.find(queued.id()).orElseThrow().status());
        assertTrue(jobs.claim(queued.id(), "w1", Duration.ofSeconds(30)).isEmpty());

        Job running = submit(JobType.TRAIN, 3);
        jobs.claim(running.id(), "w1", Duration.ofSeconds(30)).orElseThrow();
        assertEquals(CancelOutcome.Effect.REQUESTED, jobs.requestCancel(running.id()).effect());
        assertTrue(jobs.heartbeat(running.id(), "w1", Duration.ofSeconds(30)).cancelRequested());
        assertTrue(jobs.cancelled(running.id(), "w1"));
        assertEquals(CancelOutcome.Effect.ALREADY_FINISHED, jobs.requestCancel(running.id()).effect());
    }

    @Test
    void releaseHandsTheJobBackWithoutSpendingAnAttempt() {
        Job job = submit(JobType.TRAIN, 3);
        jobs.claim(job.id(), "w1", Duration.ofSeconds(30)).orElseThrow();
        assertTrue(jobs.release(job.id(), "w1"));
        Job back = jobs.find(job.id()).orElseThrow();
        assertEquals(JobStatus.QUEUED, back.status());
        assertEquals(0, back.attempts());
    }

    @Test
    void listingPagesNewestFirstWithFiltersAndACursor() {
        Set<UUID> made = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            made.add(submit(i % 2 == 0 ? JobType.TRAIN : JobType.GENERATE, 3).id());
        }
        List<Job> seen = new ArrayList<>();
        String cursor = null;
        do {
            JobPage page = jobs.list(owner, null, null, 3, cursor);
            seen.addAll(page.jobs());
            cursor = page.nextCursor();
        } while (cursor != null);
        assertEquals(made, new HashSet<>(seen.stream().map(Job::id).toList()));
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(!seen.get(i).createdAt().isAfter(seen.get(i - 1).createdAt()));
        }
        assertEquals(4, jobs.list(owner, null, JobType.TRAIN, 100, null).jobs().size());
        assertEquals(0, jobs.list(owner, JobStatus.RUNNING, null, 100, null).jobs().size());
        UUID stranger = new ApiKeyStore(PG.db()).upsert("other-" + UUID.randomUUID(), ApiKeyStore.newSecret());
        assertEquals(0, jobs.list(stranger, null, null, 100, null).jobs().size());
        assertTrue(jobs.findOwned(seen.get(0).id(), stranger).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> jobs.list(owner, null, null, 3, "not-a-cursor"));
    }

    @Test
    void apiKeysAreStoredHashedAndAuthenticate() {
        ApiKeyStore keys = new ApiKeyStore(PG.db());
        String secret = ApiKeyStore.newSecret();
        UUID id = keys.upsert("alice-" + UUID.randomUUID(), secret);
        assertEquals(id, keys.authenticate(secret).orElseThrow());
        assertTrue(keys.authenticate(secret + "x").isEmpty());
        String stored = PG.db().tx("read hash", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT secret_hash FROM api_keys WHERE id = ?")) {
                ps.setObject(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
        assertNotEquals(secret, stored);
        assertFalse(stored.contains(secret));
    }

    private long outboxRows(String topic, UUID jobId) {
        return PG.db().tx("count outbox", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT count(*) FROM outbox WHERE topic = ? AND record_key = ?")) {
                ps.setString(1, topic);
                ps.setString(2, jobId.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }
}
