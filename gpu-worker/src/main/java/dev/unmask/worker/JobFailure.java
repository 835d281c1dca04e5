package dev.unmask.worker;

import dev.unmask.shared.job.JobError;

/** A job attempt that failed in a known way, with the error to record. */
public final class JobFailure extends RuntimeException {
    private final JobError error;

    public JobFailure(JobError error) {
        super(error.code() + ": " + error.message());
        this.error = error;
    }

    public JobFailure(JobError error, Throwable cause) {
        super(error.code() + ": " + error.message(), cause);
        this.error = error;
    }

    public static JobFailure permanent(String code, String message) {
        return new JobFailure(JobError.permanent(code, message));
    }

    public JobError error() {
        return error;
    }
}
