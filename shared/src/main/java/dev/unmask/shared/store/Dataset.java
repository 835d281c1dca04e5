package dev.unmask.shared.store;

import java.time.Instant;
import java.util.UUID;

/** An uploaded corpus; its bytes are at {@code uri} in the artifact store. */
public record Dataset(UUID id, UUID owner, String name, String format, long bytes, long documents, String uri,
        Instant createdAt) {}
