package dev.unmask.shared.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;

/** Rows for the relay to publish to Kafka, written in the same transaction as the change they announce. */
public final class Outbox {
    private Outbox() {}

    /** Adds a record that becomes publishable after {@code delay} (a retry's backoff; zero = now). */
    public static void add(Connection c, String topic, String key, JsonNode payload, Duration delay) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (topic, record_key, payload, available_at) "
                + "VALUES (?, ?, ?, now() + ? * interval '1 millisecond')")) {
            ps.setString(1, topic);
            ps.setString(2, key);
            Rows.setJson(ps, 3, payload);
            ps.setLong(4, delay.toMillis());
            ps.executeUpdate();
        }
    }
}
