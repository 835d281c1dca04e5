package dev.unmask.gateway.events;

import dev.unmask.shared.store.JobEvent;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** Live job events of this gateway, fanned out to the listeners (SSE streams) of each job. Thread-safe. */
public final class EventHub {
    private final Map<UUID, Set<Consumer<JobEvent>>> listeners = new ConcurrentHashMap<>();

    /** Starts delivering {@code jobId}'s events to {@code listener}; run the result to stop. */
    public Runnable subscribe(UUID jobId, Consumer<JobEvent> listener) {
        listeners.compute(jobId, (id, set) -> {
            Set<Consumer<JobEvent>> next = set == null ? ConcurrentHashMap.newKeySet() : set;
            next.add(listener);
            return next;
        });
        return () -> listeners.computeIfPresent(jobId, (id, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }

    /** Hands {@code event} to every listener of its job (on the caller's thread). */
    public void publish(JobEvent event) {
        Set<Consumer<JobEvent>> set = listeners.get(event.jobId());
        if (set != null) {
            set.forEach(listener -> listener.accept(event));
        }
    }

    /** Jobs with at least one listener. */
    public int jobsWatched() {
        return listeners.size();
    }
}
