package dev.unmask.shared.job;

/**
 * Why a job failed: a stable machine-readable {@code code} and a message for people.
 *
 * @param retryable whether another attempt may pass (a worker crash, a lost lease) or not (a bad dataset)
 */
public record JobError(String code, String message, boolean retryable) {
    public static JobError permanent(String code, String message) {
        return new JobError(code, message, false);
    }

    public static JobError transientError(String code, String message) {
        return new JobError(code, message, true);
    }
}
