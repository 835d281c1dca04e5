package dev.unmask.shared.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The {@code models} table. */
public final class ModelStore {
    private final Database db;

    public ModelStore(Database db) {
        this.db = db;
    }

    /** A new model row with a fresh id. */
    public Model insert(UUID owner, String name, String kind, String uri, UUID sourceJob) {
        return insertIfAbsent(UUID.randomUUID(), owner, name, kind, uri, sourceJob);
    }

    /**
     * Inserts the model with this id unless it exists; returns the row either way (a repeated
     * attempt of a training job registers its model once).
     */
    public Model insertIfAbsent(UUID id, UUID owner, String name, String kind, String uri, UUID sourceJob) {
        return db.tx("store model", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO models (id, owner, name, kind, uri, source_job) "
                    + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
                ps.setObject(1, id);
                ps.setObject(2, owner);
                ps.setString(3, name);
                ps.setString(4, kind);
                ps.setString(5, uri);
                ps.setObject(6, sourceJob);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM models WHERE id = ?")) {
                ps.setObject(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return map(rs);
                }
            }
        });
    }

    public Optional<Model> find(UUID id) {
        return db.tx("find model", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM models WHERE id = ?")) {
                ps.setObject(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(map(rs)) : Optional.<Model>empty();
                }
            }
        });
    }

    public Optional<Model> findOwned(UUID id, UUID owner) {
        return find(id).filter(m -> m.owner().equals(owner));
    }

    /** The model a training job produced, if it has finished producing one. */
    public Optional<Model> producedBy(UUID jobId) {
        return db.tx("find produced model", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM models WHERE source_job = ?")) {
                ps.setObject(1, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(map(rs)) : Optional.<Model>empty();
                }
            }
        });
    }

    public List<Model> list(UUID owner) {
        return db.tx("list models", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT * FROM models WHERE owner = ? ORDER BY created_at DESC, id DESC")) {
                ps.setObject(1, owner);
                List<Model> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(map(rs));
                    }
                }
                return out;
            }
        });
    }

    private static Model map(ResultSet rs) throws SQLException {
        return new Model(Rows.uuid(rs, "id"), Rows.uuid(rs, "owner"), rs.getString("name"), rs.getString("kind"),
                rs.getString("uri"), Rows.uuid(rs, "source_job"), Rows.instant(rs, "created_at"));
    }
}
