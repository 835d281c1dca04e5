package dev.unmask.queue;

import dev.unmask.shared.store.JobStore;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-queues (or fails) running jobs whose worker stopped heartbeating, every {@code interval}, on a
 * worker thread of its Vert.x; undeploying it (or closing its Vert.x) stops it once its pass is done.
 */
public final class LeaseReaper extends PeriodicPass {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseReaper.class);
    private static final int BATCH = 100;

    private final JobStore jobs;
    private final Duration backoff;

    /** @param backoff the delay before a re-queued job is published again */
    public LeaseReaper(JobStore jobs, Duration backoff, Duration interval) {
        super("lease reaper", interval);
        this.jobs = jobs;
        this.backoff = backoff;
    }

    @Override
    protected void runPass() {
        reap();
    }

    /** One pass: as many batches as there are expired leases, or until a stop. */
    public int reap() {
        int total = 0;
        try {
            int n;
            do {
                n = jobs.reapExpiredLeases(BATCH, backoff);
                total += n;
            } while (n == BATCH && !stopping());
            if (total > 0) {
                LOG.info("re-queued or failed {} job(s) whose lease expired", total);
            }
        } catch (RuntimeException e) {
            LOG.warn("lease reaper pass failed: {}", e.getMessage());
        }
        return total;
    }
}
