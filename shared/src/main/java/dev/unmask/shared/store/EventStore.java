package dev.unmask.shared.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.shared.job.Topics;
import dev.unmask.shared.json.JsonCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The {@code job_events} table: append, read after an id (SSE replay), prune after the retention. */
public final class EventStore {
    private final Database db;

    public EventStore(Database db) {
        this.db = db;
    }

    /**
     * Appends an event in the caller's transaction, and queues it in the outbox for
     * {@link dev.unmask.shared.job.Topics#EVENTS} (every gateway streams it to its SSE clients).
     * A submit writes its job's first event without a record ({@code SubmitStatement}).
     */
    public static JobEvent append(Connection c, UUID jobId, String kind, JsonNode data) throws SQLException {
        JobEvent event = insert(c, jobId, kind, data);
        Outbox.add(c, Topics.EVENTS, jobId.toString(), toJson(event), Duration.ZERO);
        return event;
    }

    /** The event as JSON: {@code {id, job_id, kind, data, created_at}}. */
    public static ObjectNode toJson(JobEvent event) {
        ObjectNode json = JsonCodec.MAPPER.createObjectNode();
        json.put("id", event.id());
        json.put("job_id", event.jobId().toString());
        json.put("kind", event.kind());
        json.set("data", event.data());
        json.put("created_at", event.createdAt().toString());
        return json;
    }

    public static JobEvent fromJson(JsonNode json) {
        return new JobEvent(json.path("id").asLong(), UUID.fromString(json.path("job_id").asText()),
                json.path("kind").asText(), json.path("data"), Instant.parse(json.path("created_at").asText()));
    }

    private static JobEvent insert(Connection c, UUID jobId, String kind, JsonNode data) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO job_events (job_id, kind, data) VALUES (?, ?, ?) RETURNING id, created_at")) {
            ps.setObject(1, jobId);
            ps.setString(2, kind);
            Rows.setJson(ps, 3, data);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new JobEvent(rs.getLong(1), jobId, kind, data, Rows.instant(rs, "created_at"));
            }
        }
    }

    public JobEvent append(UUID jobId, String kind, JsonNode data) {
        return db.tx("append event", c -> append(c, jobId, kind, data));
    }

    /**
     * Deletes up to {@code limit} events of jobs that finished more than {@code retention} ago,
     * except their {@code status} events (a finished job's history of status changes stays with
     * its row; its progress, frames and logs go). Returns how many were deleted.
     */
    public int prune(Duration retention, int limit) {
        return db.tx("prune events", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM job_events WHERE id IN (SELECT e.id "
                    + "FROM jobs j JOIN job_events e ON e.job_id = j.id WHERE j.finished_at < now() - ? * interval "
                    + "'1 second' AND e.kind <> 'status' LIMIT ?)")) {
                ps.setLong(1, retention.toSeconds());
                ps.setInt(2, limit);
                return ps.executeUpdate();
            }
        });
    }

    /** Up to {@code limit} events of a job with id greater than {@code afterId}, oldest first. */
    public List<JobEvent> after(UUID jobId, long afterId, int limit) {
        return db.tx("read events", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, kind, data, created_at FROM job_events "
                    + "WHERE job_id = ? AND id > ? ORDER BY id LIMIT ?")) {
                ps.setObject(1, jobId);
                ps.setLong(2, afterId);
                ps.setInt(3, limit);
                List<JobEvent> events = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Instant at = Rows.instant(rs, "created_at");
                        events.add(new JobEvent(rs.getLong("id"), jobId, rs.getString("kind"), Rows.json(rs, "data"), at));
                    }
                }
                return events;
            }
        });
    }
}
