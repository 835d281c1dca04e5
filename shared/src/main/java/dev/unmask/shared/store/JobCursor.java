package dev.unmask.shared.store;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** Where a page of jobs ended: (created_at, id) of its last job, as an opaque string. */
record JobCursor(Instant createdAt, UUID id) {
    String encode() {
        String raw = createdAt.getEpochSecond() + ":" + createdAt.getNano() + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when the cursor was not made by {@link #encode} */
    static JobCursor decode(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
            if (parts.length != 3) {
                throw new IllegalArgumentException("bad cursor");
            }
            return new JobCursor(Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])),
                    UUID.fromString(parts[2]));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cursor '" + cursor + "' is not one this server gave out", e);
        }
    }
}
