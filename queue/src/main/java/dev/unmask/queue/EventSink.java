package dev.unmask.queue;

import dev.unmask.shared.store.JobEvent;

/** Where {@link EventFanout} delivers the events it reads (the gateway's SSE hub). */
public interface EventSink {
    /** One event from {@code unmask.jobs.events}, on the fan-out's thread. */
    void publish(JobEvent event);

    /** Events may have been missed (no consumer was positioned): readers should replay from the database. */
    void resyncAll();
}
