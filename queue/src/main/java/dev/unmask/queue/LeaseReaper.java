package dev.unmask.queue;

import dev.unmask.shared.store.JobStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-queues (or fails) running jobs whose worker stopped heartbeating, every {@code interval}, on a
 * worker thread of its Vert.x; undeploying it (or closing its Vert.x) stops it.
 */
public final class LeaseReaper extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseReaper.class);
    private static final int BATCH = 100;

    private final JobStore jobs;
    private final Duration backoff;
    private final Duration interval;
    private long timer = -1;
    private boolean reaping;

    /** @param backoff the delay before a re-queued job is published again */
    public LeaseReaper(JobStore jobs, Duration backoff, Duration interval) {
        this.jobs = jobs;
        this.backoff = backoff;
        this.interval = interval;
    }

    @Override
    public Future<?> start() {
        timer = vertx.setPeriodic(interval.toMillis(), id -> {
            if (!reaping) { // else the previous pass is still running
                reaping = true;
                vertx.executeBlocking(this::reap, false).onComplete(done -> reaping = false);
            }
        });
        return Future.succeededFuture();
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
    public Future<?> stop() {
        vertx.cancelTimer(timer);
        return Future.succeededFuture();
    }
}
