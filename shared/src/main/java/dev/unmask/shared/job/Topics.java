package dev.unmask.shared.job;

import java.util.List;
import java.util.Map;

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

    /**
     * The partitions each topic is created with. The job topics have one: a share group's assignor
     * gives each partition to only some of its members (with more partitions than members, to one),
     * and a member gets records only from its partitions, so with several partitions a job waits for
     * a busy worker while an idle one has nothing to fetch. With one partition every member is
     * assigned it and whichever asks gets the next record (measured: with 6 partitions an idle
     * member got 14 of 24 records while another member was busy; with 1 it got all 24). One
     * partition carries far more jobs per second than workers can run. Events are fanned out to
     * every gateway by assignment, not by a group: any count works.
     */
    public static final Map<String, Integer> PARTITIONS = Map.of(TRAIN, 1, GENERATE, 1, EVENTS, 3, DLQ, 1);

    /** The topics workers consume through share groups. */
    public static final List<String> JOBS = List.of(TRAIN, GENERATE);

    private Topics() {}
}
