package dev.unmask.shared.store;

/**
 * One job's outcome in {@link JobStore#submitAll}: submitted (new, or the repeat of an earlier
 * request with the same idempotency key), or refused because its key was used for another request.
 */
public record SubmitOutcome(Submitted submitted, IdempotencyConflictException refused) {
    /** The submission, or the refusal thrown. */
    public Submitted orThrow() {
        if (refused != null) {
            throw refused;
        }
        return submitted;
    }
}
