package dev.unmask.shared.store;

import java.time.Instant;
import java.util.UUID;

/**
 * A model row: an HF folder registered by a user, or produced by a training job.
 *
 * @param kind {@code registered} or {@code trained}
 * @param uri the HF folder (a path on the servers, or in the artifact store)
 */
public record Model(UUID id, UUID owner, String name, String kind, String uri, UUID sourceJob, Instant createdAt) {}
