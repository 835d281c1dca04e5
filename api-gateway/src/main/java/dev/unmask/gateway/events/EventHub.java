package dev.unmask.gateway.events;

import dev.unmask.queue.EventSink;
import dev.unmask.shared.store.JobEvent;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Live job events of this gateway, fanned out to the listeners (SSE streams) of each job. Thread-safe. */
public final class EventHub implements EventSink {
    /** A job's live events, and the news that some may have been missed. */
    public interface Listener {
        void event(JobEvent event);

        /** The live feed had a gap (the consumer was re-positioned): read the database again. */
        void resync();
    }

    private final Map<UUID, Set<Listener>> listeners = new ConcurrentHashMap<>();

    /** Starts delivering {@code jobId}'s events to {@code listener}; run the result to stop. */
    public Runnable subscribe(UUID jobId, Listener listener) {
        listeners.compute(jobId, (id, set) -> {
            Set<Listener> next = set == null ? ConcurrentHashMap.newKeySet() : set;
            next.add(listener);
            return next;
        });
        return () -> listeners.computeIfPresent(jobId, (id, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }

    /** Hands {@code event} to every listener of its job (on the caller's thread). */
    @Override
    public void publish(JobEvent event) {
        Set<Listener> set = listeners.get(event.jobId());
        if (set != null) {
            set.forEach(listener -> listener.event(event));
        }
    }

    /** Tells every listener that live events may have been missed. */
    @Override
    public void resyncAll() {
        listeners.values().forEach(set -> set.forEach(Listener::resync));
    }

    /** Jobs with at least one listener. */
    public int jobsWatched() {
        return listeners.size();
    }
}
