package dev.unmask.shared.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.shared.json.JsonCodec;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.UUID;
import org.postgresql.util.PGobject;

/** Small conversions between rows and Java values. */
final class Rows {
    /** An escaped U+0000 (not an escaped backslash followed by "u0000"). */
    private static final java.util.regex.Pattern NUL = java.util.regex.Pattern.compile("(?<!\\\\)((?:\\\\\\\\)*)\\\\u0000");

    private Rows() {}

    /**
     * PostgreSQL's jsonb cannot hold U+0000 (generated text of a barely trained byte-level model
     * can contain it): it is stored as U+FFFD, the replacement character.
     */
    static String withoutNul(String json) {
        if (!json.contains("\\u0000")) { // the common case, without running the pattern over every character
            return json;
        }
        return NUL.matcher(json).replaceAll("$1\\\\uFFFD");
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    static UUID uuid(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, UUID.class);
    }

    static JsonNode json(ResultSet rs, String column) throws SQLException {
        String text = rs.getString(column);
        return text == null ? null : JsonCodec.read(text);
    }

    /** {@code value} as the text of a jsonb parameter ({@link #withoutNul}); null stays null. */
    static String jsonText(JsonNode value) {
        return value == null ? null : withoutNul(JsonCodec.write(value));
    }

    static void setJson(PreparedStatement ps, int index, JsonNode value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.OTHER);
            return;
        }
        PGobject json = new PGobject();
        json.setType("jsonb");
        json.setValue(withoutNul(JsonCodec.write(value)));
        ps.setObject(index, json);
    }
}
