package dev.unmask.shared.job;

import java.util.Arrays;

/**
 * Every legal status change, in one place, and the SQL that makes it: each change's UPDATE sets
 * {@link #set()} and is guarded by {@link #guard()}, so PostgreSQL changes a row only from the
 * status this table allows (a stale or duplicate request matches no row).
 * {@code queued -> running | cancelled}; {@code running -> succeeded | failed | cancelled | queued}
 * (queued again: a retry after a failure that may pass, a lost lease, or a worker shutting down).
 * Terminal statuses never change.
 */
public enum JobTransition {
    /** A worker takes the job. */
    CLAIM(JobStatus.QUEUED, JobStatus.RUNNING),
    /** A user cancels a job no worker has taken. */
    CANCEL_QUEUED(JobStatus.QUEUED, JobStatus.CANCELLED),
    SUCCEED(JobStatus.RUNNING, JobStatus.SUCCEEDED),
    FAIL(JobStatus.RUNNING, JobStatus.FAILED),
    /** The worker stopped at a user's request. */
    CANCEL_RUNNING(JobStatus.RUNNING, JobStatus.CANCELLED),
    /** Back to the queue: a retry, an expired lease, or a hand-back at shutdown. */
    REQUEUE(JobStatus.RUNNING, JobStatus.QUEUED);

    private final JobStatus from;
    private final JobStatus to;

    JobTransition(JobStatus from, JobStatus to) {
        this.from = from;
        this.to = to;
    }

    public JobStatus from() {
        return from;
    }

    public JobStatus to() {
        return to;
    }

    /** The assignment of an UPDATE that makes this change: {@code status = 'running'}. */
    public String set() {
        return "status = '" + to.wire() + "'";
    }

    /** The condition of an UPDATE that makes this change: {@code status = 'queued'}. */
    public String guard() {
        return "status = '" + from.wire() + "'";
    }

    public static boolean allowed(JobStatus from, JobStatus to) {
        return Arrays.stream(values()).anyMatch(t -> t.from == from && t.to == to);
    }

    /** @throws IllegalTransitionException naming both ends when the change is not in the table */
    public static JobTransition between(JobStatus from, JobStatus to) {
        return Arrays.stream(values()).filter(t -> t.from == from && t.to == to).findFirst()
                .orElseThrow(() -> new IllegalTransitionException(from, to));
    }
}
