package dev.unmask.shared.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * A job as stored: one row of {@code jobs}.
 *
 * @param spec the validated request, with every default filled in
 * @param result null until the job succeeds
 * @param errorCode null unless the job failed (or its last attempt did)
 */
public record Job(
        UUID id,
        UUID owner,
        JobType type,
        JobStatus status,
        JsonNode spec,
        JsonNode result,
        String errorCode,
        String errorMessage,
        int attempts,
        int maxAttempts,
        String idempotencyKey,
        String workerId,
        Instant leaseUntil,
        boolean cancelRequested,
        long progressStep,
        long progressTotal,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt) {}
