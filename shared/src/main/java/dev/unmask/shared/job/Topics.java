package dev.unmask.shared.job;

import java.util.List;

/** Kafka topic names. Records are keyed by job id. */
public final class Topics {
    /** Training jobs to run. */
    public static final String TRAIN = "unmask.jobs.train";
    /** Generation jobs to run. */
    public static final String GENERATE = "unmask.jobs.generate";
    /** Job events (status, progress, frames), fanned out to every gateway for SSE. */
    public static final String EVENTS = "unmask.jobs.events";
    /** Jobs that exhausted their attempts. */
    public static final String DLQ = "unmask.jobs.dlq";

    public static final List<String> ALL = List.of(TRAIN, GENERATE, EVENTS, DLQ);

    private Topics() {}
}
