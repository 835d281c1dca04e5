package dev.unmask.queue;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A duty that runs one blocking pass every {@code interval} on a worker thread of its Vert.x, never
 * two at once (a tick while a pass runs is skipped). Undeploying it (or closing its Vert.x) cancels
 * the timer and completes once the pass in flight has ended, so that no pass finishes after its
 * event loop was shut down (a {@code RejectedExecutionException} on the worker thread) or uses a
 * database its owner is closing.
 */
public abstract class PeriodicPass extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(PeriodicPass.class);

    private final String name;
    private final Duration interval;
    private long timer = -1;
    private Future<Void> inFlight; // null while idle; read and written on this verticle's context only
    private volatile boolean stopping;

    protected PeriodicPass(String name, Duration interval) {
        this.name = name;
        this.interval = interval;
    }

    /**
     * One pass, on a worker thread; a thrown exception is logged and the next tick tries again. A
     * pass of several batches checks {@link #stopping} between them, so that a stop waits for one batch.
     */
    protected abstract void runPass();

    /** Whether an undeploy is waiting for the pass in flight. */
    protected final boolean stopping() {
        return stopping;
    }

    @Override
    public final Future<?> start() {
        timer = vertx.setPeriodic(Math.max(1, interval.toMillis()), id -> tick());
        return Future.succeededFuture();
    }

    private void tick() {
        if (inFlight != null) {
            return; // the previous pass is still running
        }
        inFlight = vertx.<Void>executeBlocking(() -> {
            runPass();
            return null;
        }, false);
        inFlight.onComplete(done -> {
            inFlight = null;
            if (done.failed()) {
                LOG.warn("{} pass failed: {}", name, done.cause().toString());
            }
        });
    }

    @Override
    public final Future<?> stop() {
        stopping = true;
        vertx.cancelTimer(timer);
        Future<Void> pass = inFlight;
        return pass == null ? Future.succeededFuture() : pass.transform(done -> Future.succeededFuture());
    }
}
