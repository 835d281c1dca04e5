package dev.unmask.shared.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The {@code datasets} table. */
public final class DatasetStore {
    private final Database db;

    public DatasetStore(Database db) {
        this.db = db;
    }

    public Dataset insert(UUID id, UUID owner, String name, String format, long bytes, long documents, String uri) {
        return db.tx("store dataset", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO datasets (id, owner, name, format, bytes, "
                    + "documents, uri) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *")) {
                ps.setObject(1, id);
                ps.setObject(2, owner);
                ps.setString(3, name);
                ps.setString(4, format);
                ps.setLong(5, bytes);
                ps.setLong(6, documents);
                ps.setString(7, uri);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return map(rs);
                }
            }
        });
    }

    /** The dataset if {@code owner} owns it. */
    public Optional<Dataset> findOwned(UUID id, UUID owner) {
        return db.statement("find dataset", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM datasets WHERE id = ? AND owner = ?")) {
                ps.setObject(1, id);
                ps.setObject(2, owner);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(map(rs)) : Optional.<Dataset>empty();
                }
            }
        });
    }

    public Optional<Dataset> find(UUID id) {
        return db.tx("find dataset", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM datasets WHERE id = ?")) {
                ps.setObject(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(map(rs)) : Optional.<Dataset>empty();
                }
            }
        });
    }

    public List<Dataset> list(UUID owner) {
        return db.tx("list datasets", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT * FROM datasets WHERE owner = ? ORDER BY created_at DESC, id DESC")) {
                ps.setObject(1, owner);
                List<Dataset> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(map(rs));
                    }
                }
                return out;
            }
        });
    }

    private static Dataset map(ResultSet rs) throws SQLException {
        return new Dataset(Rows.uuid(rs, "id"), Rows.uuid(rs, "owner"), rs.getString("name"), rs.getString("format"),
                rs.getLong("bytes"), rs.getLong("documents"), rs.getString("uri"), Rows.instant(rs, "created_at"));
    }
}
