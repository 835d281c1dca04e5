package dev.unmask.queue;

import dev.unmask.shared.store.EventStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the events of long-finished jobs ({@link EventStore#prune}) every {@code interval}, on a
 * worker thread of its Vert.x; undeploying it (or closing its Vert.x) stops it.
 */
public final class EventPruner extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(EventPruner.class);
    private static final int BATCH = 10_000;

    private final EventStore events;
    private final Duration retention;
    private final Duration interval;
    private long timer = -1;
    private boolean pruning;

    /** @param retention how long after a job finished its events are kept */
    public EventPruner(EventStore events, Duration retention, Duration interval) {
        if (retention.isZero() || retention.isNegative()) {
            throw new IllegalArgumentException("retention must be positive (a gateway that keeps every event "
                    + "deploys no pruner), got " + retention);
        }
        this.events = events;
        this.retention = retention;
        this.interval = interval;
    }

    @Override
    public Future<?> start() {
        timer = vertx.setPeriodic(interval.toMillis(), id -> pass());
        return Future.succeededFuture();
    }

    private void pass() {
        if (pruning) {
            return; // the previous pass is still deleting
        }
        pruning = true;
        vertx.executeBlocking(this::pruneAll, false).onComplete(done -> {
            pruning = false;
            if (done.failed()) {
                LOG.warn("event pruning failed: {}", done.cause().getMessage());
            } else if (done.result() > 0) {
                LOG.info("deleted {} event(s) of jobs finished more than {} ago", done.result(), retention);
            }
        });
    }

    /** Batches until a short one: every prunable event now. */
    private int pruneAll() {
        int total = 0;
        int n;
        do {
            n = events.prune(retention, BATCH);
            total += n;
        } while (n == BATCH);
        return total;
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(timer);
        return Future.succeededFuture();
    }
}
