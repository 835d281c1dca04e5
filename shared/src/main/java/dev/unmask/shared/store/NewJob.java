package dev.unmask.shared.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.shared.job.JobType;
import java.util.UUID;

/**
 * A job to submit: what {@link JobStore#submit} records.
 *
 * @param idempotencyKey null, or the owner's key that makes a repeat return the same job
 * @param requestHash the hash the key is bound to (null without a key)
 */
public record NewJob(UUID owner, JobType type, JsonNode spec, int maxAttempts, String idempotencyKey,
        String requestHash, long progressTotal) {}
