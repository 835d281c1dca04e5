package dev.unmask.shared.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/** A saved training checkpoint: an HF folder plus training state at {@code uri}. */
public record Checkpoint(UUID id, UUID jobId, long step, String uri, JsonNode metrics, Instant createdAt) {}
