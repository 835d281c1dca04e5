package dev.unmask.queue;

import dev.unmask.shared.store.EventStore;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the events of long-finished jobs ({@link EventStore#prune}) every {@code interval}, on a
 * worker thread of its Vert.x; undeploying it (or closing its Vert.x) stops it once its pass is done.
 */
public final class EventPruner extends PeriodicPass {
    private static final Logger LOG = LoggerFactory.getLogger(EventPruner.class);
    private static final int BATCH = 10_000;

    private final EventStore events;
    private final Duration retention;

    /** @param retention how long after a job finished its events are kept */
    public EventPruner(EventStore events, Duration retention, Duration interval) {
        super("event pruning", interval);
        if (retention.isZero() || retention.isNegative()) {
            throw new IllegalArgumentException("retention must be positive (a gateway that keeps every event "
                    + "deploys no pruner), got " + retention);
        }
        this.events = events;
        this.retention = retention;
    }

    @Override
    protected void runPass() {
        int deleted = pruneAll();
        if (deleted > 0) {
            LOG.info("deleted {} event(s) of jobs finished more than {} ago", deleted, retention);
        }
    }

    /** Batches until a short one (every prunable event now) or a stop. */
    private int pruneAll() {
        int total = 0;
        int n;
        do {
            n = events.prune(retention, BATCH);
            total += n;
        } while (n == BATCH && !stopping());
        return total;
    }
}
