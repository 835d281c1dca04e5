package dev.unmask.shared.job;

/**
 * Every legal status change, in one place:
 * {@code queued -> running | cancelled}; {@code running -> succeeded | failed | cancelled | queued}
 * (queued again: a retry after a failure that may pass, or a lost lease). Terminal statuses never change.
 */
public final class JobTransitions {
    private JobTransitions() {}

    public static boolean allowed(JobStatus from, JobStatus to) {
        return switch (from) {
            case QUEUED -> to == JobStatus.RUNNING || to == JobStatus.CANCELLED;
            case RUNNING -> to == JobStatus.SUCCEEDED || to == JobStatus.FAILED || to == JobStatus.CANCELLED
                    || to == JobStatus.QUEUED;
            case SUCCEEDED, FAILED, CANCELLED -> false;
        };
    }

    /** @throws IllegalTransitionException naming both ends when the change is not legal */
    public static void require(JobStatus from, JobStatus to) {
        if (!allowed(from, to)) {
            throw new IllegalTransitionException(from, to);
        }
    }
}
