package dev.unmask.shared.store;

import java.util.UUID;

/** The same {@code Idempotency-Key} was used before with a different request body. */
public final class IdempotencyConflictException extends RuntimeException {
    private final UUID existingJob;

    public IdempotencyConflictException(String key, UUID existingJob) {
        super("Idempotency-Key '" + key + "' was already used for another request (job " + existingJob + ")");
        this.existingJob = existingJob;
    }

    public UUID existingJob() {
        return existingJob;
    }
}
