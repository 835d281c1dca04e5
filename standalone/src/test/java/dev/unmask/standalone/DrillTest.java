package dev.unmask.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unmask.standalone.drill.Drill;
import dev.unmask.standalone.drill.DrillReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault drill as a test: PostgreSQL and a Kafka broker as processes of their own, one gateway
 * and three workers; 80 generate jobs over 90 s and 3 train jobs (two at the start, so a training
 * slot is free when a killed worker's training is rescued, the third after the worker kills;
 * `./unmask drill` runs more) while it SIGKILLs two workers, the broker and PostgreSQL (each started
 * again, one fault after the previous one's recovery). Every accepted job ends, none succeeds twice
 * or runs two attempts at once, interrupted training resumes from its newest checkpoint, no request
 * gets a 500, and pickup never pauses: no gap over 5 s between claims while jobs wait, no generate
 * job waiting over 5 s for one of three workers (outside the broker and database outages), a killed
 * worker's job runs again within its lease plus 5 s, claims resume within 15 s of the broker's return.
 */
@Timeout(600)
class DrillTest {
    @TempDir
    Path dir;

    @Test
    void everyAcceptedJobEndsOnceAndPickupNeverPauses() throws Exception {
        DrillReport r = Drill.run(new Drill.Options(80, 3, Duration.ofSeconds(90), dir));
        String report = r.toJson().toString();
        System.out.println("drill: " + report);
        assertEquals(83, r.accepted(), report);
        assertEquals(Map.of("succeeded", 83), r.terminal(), report);
        assertEquals(0, r.lost(), report);
        assertEquals(0, r.duplicated(), report);
        assertEquals(0, r.overlapping(), report);
        assertEquals(0, r.notResumedFromNewest(), report);
        assertEquals(0, r.http500() + r.httpOther5xx(), report);
        assertEquals(Map.of("broker_kill", 1, "postgres_kill", 1, "worker_kill", 2), r.faults(), report);
        assertTrue(r.longestClaimGapMs() <= 5_000, report);
        assertTrue(r.longestGenerateWaitMs() <= 5_000, "a generate job waited for an idle worker: " + report);
        assertTrue(r.longestFaultToClaimMs().getOrDefault("worker_kill", 0L) <= 5_000, report);
        assertTrue(r.longestFaultToClaimMs().getOrDefault("broker_kill", 0L) <= 15_000, report);
        assertTrue(r.longestRestartMs() <= Drill.LEASE.toMillis() + 5_000, report);
    }
}
