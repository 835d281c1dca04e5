package dev.unmask.gateway.jobs;

import dev.unmask.shared.store.JobStore;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Re-queues (or fails) running jobs whose worker stopped heartbeating, every {@code interval}, on its own thread. */
public final class LeaseReaper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseReaper.class);
    private static final int BATCH = 100;

    private final JobStore jobs;
    private final Duration backoff;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "unmask-lease-reaper");
        t.setDaemon(true);
        return t;
    });

    public LeaseReaper(JobStore jobs, Duration backoff) {
        this.jobs = jobs;
        this.backoff = backoff;
    }

    public LeaseReaper start(Duration interval) {
        thread.scheduleWithFixedDelay(this::reap, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One pass: as many batches as there are expired leases. */
    public int reap() {
        int total = 0;
        try {
            int n;
            do {
                n = jobs.reapExpiredLeases(BATCH, backoff);
                total += n;
            } while (n == BATCH);
            if (total > 0) {
                LOG.info("re-queued or failed {} job(s) whose lease expired", total);
            }
        } catch (RuntimeException e) {
            LOG.warn("lease reaper pass failed: {}", e.getMessage());
        }
        return total;
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
