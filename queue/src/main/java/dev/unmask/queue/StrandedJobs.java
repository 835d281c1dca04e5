package dev.unmask.queue;

import dev.unmask.shared.store.JobStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes again the jobs left queued longer than {@code age} with no record on its way
 * ({@link JobStore#redeliverStranded}), a bounded batch per pass, every quarter of {@code age}
 * (at least every second), on a worker thread of its Vert.x. Kafka losing a record (or archiving
 * one that was delivered too often) therefore delays a job, never strands it.
 */
public final class StrandedJobs extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(StrandedJobs.class);
    static final int BATCH = 100;

    private final JobStore jobs;
    private final Duration age;
    private long timer = -1;
    private boolean sweeping;

    public StrandedJobs(JobStore jobs, Duration age) {
        this.jobs = jobs;
        this.age = age;
    }

    @Override
    public Future<?> start() {
        long interval = Math.max(1_000, age.toMillis() / 4);
        timer = vertx.setPeriodic(interval, id -> {
            if (!sweeping) {
                sweeping = true;
                vertx.executeBlocking(this::sweep, false).onComplete(done -> sweeping = false);
            }
        });
        return Future.succeededFuture();
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

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(timer);
        return Future.succeededFuture();
    }
}
