package dev.unmask.shared.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * Something that happened to a job, in order.
 *
 * @param id increasing; the SSE event id
 * @param kind {@code status}, {@code progress}, {@code frame}, {@code checkpoint} or {@code log}
 */
public record JobEvent(long id, UUID jobId, String kind, JsonNode data, Instant createdAt) {}
