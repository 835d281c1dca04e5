package dev.unmask.shared.job;

/** A status change that {@link JobTransition} does not allow. */
public final class IllegalTransitionException extends RuntimeException {
    private final JobStatus from;
    private final JobStatus to;

    public IllegalTransitionException(JobStatus from, JobStatus to) {
        super("a job cannot go from " + from.wire() + " to " + to.wire());
        this.from = from;
        this.to = to;
    }

    public JobStatus from() {
        return from;
    }

    public JobStatus to() {
        return to;
    }
}
