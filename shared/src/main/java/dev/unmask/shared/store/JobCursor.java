package dev.unmask.shared.store;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Where a page of jobs ended: (created_at, id) of its last job, as an opaque string. Decoding
 * accepts only what {@link #encode} can produce for a timestamp PostgreSQL stores (years 1970 to
 * 9999, nanoseconds below one second), so a forged cursor is refused before it reaches a query.
 */
record JobCursor(Instant createdAt, UUID id) {
    private static final long MAX_SECOND = 253_402_300_799L; // 9999-12-31T23:59:59Z
    private static final int MAX_LENGTH = 128;

    String encode() {
        String raw = createdAt.getEpochSecond() + ":" + createdAt.getNano() + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when the cursor was not made by {@link #encode} */
    static JobCursor decode(String cursor) {
        try {
            if (cursor.length() > MAX_LENGTH) {
                throw new IllegalArgumentException("too long");
            }
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":", -1);
            if (parts.length != 3 || !parts[0].matches("[0-9]{1,12}") || !parts[1].matches("[0-9]{1,9}")
                    || parts[2].length() != 36) {
                throw new IllegalArgumentException("not seconds:nanos:uuid");
            }
            long second = Long.parseLong(parts[0]);
            if (second > MAX_SECOND) {
                throw new IllegalArgumentException("timestamp out of range");
            }
            UUID id = UUID.fromString(parts[2]);
            if (!id.toString().equals(parts[2].toLowerCase(java.util.Locale.ROOT))) {
                throw new IllegalArgumentException("not a canonical uuid");
            }
            return new JobCursor(Instant.ofEpochSecond(second, Long.parseLong(parts[1])), id);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the cursor is not one this server gave out", e);
        }
    }
}
