package dev.unmask.shared.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The {@code checkpoints} table. */
public final class CheckpointStore {
    private final Database db;

    public CheckpointStore(Database db) {
        this.db = db;
    }

    /** Records a checkpoint (again, after a resumed run rewrote the same step: the row is updated). */
    public Checkpoint record(UUID jobId, long step, String uri, JsonNode metrics) {
        return db.tx("record checkpoint", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO checkpoints (id, job_id, step, uri, metrics) "
                    + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (job_id, step) DO UPDATE SET uri = excluded.uri, "
                    + "metrics = excluded.metrics RETURNING id, created_at")) {
                ps.setObject(1, UUID.randomUUID());
                ps.setObject(2, jobId);
                ps.setLong(3, step);
                ps.setString(4, uri);
                Rows.setJson(ps, 5, metrics);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new Checkpoint(Rows.uuid(rs, "id"), jobId, step, uri, metrics, Rows.instant(rs, "created_at"));
                }
            }
        });
    }

    public List<Checkpoint> list(UUID jobId) {
        return db.tx("list checkpoints", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT * FROM checkpoints WHERE job_id = ? ORDER BY step")) {
                ps.setObject(1, jobId);
                List<Checkpoint> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Checkpoint(Rows.uuid(rs, "id"), jobId, rs.getLong("step"), rs.getString("uri"),
                                Rows.json(rs, "metrics"), Rows.instant(rs, "created_at")));
                    }
                }
                return out;
            }
        });
    }
}
