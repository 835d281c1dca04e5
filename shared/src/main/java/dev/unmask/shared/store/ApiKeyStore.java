package dev.unmask.shared.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/** API keys. Only the SHA-256 of a secret is stored; a secret is shown once, when it is made. */
public final class ApiKeyStore {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Database db;

    public ApiKeyStore(Database db) {
        this.db = db;
    }

    /** Creates the key {@code name}, or gives it {@code secret} if it exists. Returns its id. */
    public UUID upsert(String name, String secret) {
        if (name.isBlank() || secret.length() < 8) {
            throw new IllegalArgumentException("an API key needs a name and a secret of at least 8 characters");
        }
        return db.tx("store API key", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_keys (id, name, secret_hash) VALUES (?, ?, ?) "
                    + "ON CONFLICT (name) DO UPDATE SET secret_hash = excluded.secret_hash RETURNING id")) {
                ps.setObject(1, UUID.randomUUID());
                ps.setString(2, name);
                ps.setString(3, hash(secret));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getObject(1, UUID.class);
                }
            }
        });
    }

    /** The id of the key whose secret this is. */
    public Optional<UUID> authenticate(String secret) {
        String hash = hash(secret);
        return db.tx("authenticate", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM api_keys WHERE secret_hash = ?")) {
                ps.setString(1, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.<UUID>empty();
                }
            }
        });
    }

    public boolean exists(String name) {
        return db.tx("find API key", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM api_keys WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** A fresh random secret: 32 bytes, hex, prefixed {@code um_}. */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "um_" + HexFormat.of().formatHex(bytes);
    }

    static String hash(String secret) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
