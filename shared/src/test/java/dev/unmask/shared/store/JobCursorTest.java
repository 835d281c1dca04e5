package dev.unmask.shared.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A cursor survives its round trip; a forged one is an IllegalArgumentException, never another exception. */
class JobCursorTest {
    private static String forged(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void roundTrips() {
        JobCursor c = new JobCursor(Instant.parse("2026-12-01T08:00:00.123456Z"), UUID.randomUUID());
        assertEquals(c, JobCursor.decode(c.encode()));
    }

    @Test
    void forgedCursorsAreRefusedAsIllegalArguments() {
        String id = UUID.randomUUID().toString();
        for (String raw : new String[] {"99999999999999999:0:" + id, "9223372036854775807:999999999999:" + id,
                "-1:0:" + id, "253402300800:0:" + id, "1:1000000000:" + id, "1:-5:" + id, "1:0:not-a-uuid",
                "1:0:" + id + ":x", "1:0", "", "1:0:" + id.toUpperCase() + "x", "1:0:1-1-1-1-1"}) {
            assertThrows(IllegalArgumentException.class, () -> JobCursor.decode(forged(raw)), raw);
        }
        for (String cursor : new String[] {"%%%", "a".repeat(10_000), "====", "\u0000"}) {
            assertThrows(IllegalArgumentException.class, () -> JobCursor.decode(cursor), cursor);
        }
    }
}
