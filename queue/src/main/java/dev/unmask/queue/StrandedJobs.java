package dev.unmask.queue;

import dev.unmask.shared.store.JobStore;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes again the jobs left queued longer than {@code age} with no record on its way
 * ({@link JobStore#redeliverStranded}), a bounded batch per pass, every quarter of {@code age}
 * (at least every second), on a worker thread of its Vert.x. Kafka losing a record (or archiving
 * one that was delivered too often) therefore delays a job, never strands it.
 */
public final class StrandedJobs extends PeriodicPass {
    private static final Logger LOG = LoggerFactory.getLogger(StrandedJobs.class);
    static final int BATCH = 100;

    private final JobStore jobs;
    private final Duration age;

    public StrandedJobs(JobStore jobs, Duration age) {
        super("stranded-job", Duration.ofMillis(Math.max(1_000, age.toMillis() / 4)));
        this.jobs = jobs;
        this.age = age;
    }

    @Override
    protected void runPass() {
        sweep();
    }

    /** One pass: at most {@link #BATCH} jobs. */
    public int sweep() {
        try {
            int n = jobs.redeliverStranded(age, BATCH);
            if (n > 0) {
                LOG.warn("published {} queued job(s) again: no record of theirs was on its way for {} s", n,
                        age.toSeconds());
            }
            return n;
        } catch (RuntimeException e) {
            LOG.warn("stranded-job pass failed: {}", e.getMessage());
            return 0;
        }
    }
}
