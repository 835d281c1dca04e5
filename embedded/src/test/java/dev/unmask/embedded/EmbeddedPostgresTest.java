package dev.unmask.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresTest {

    @Test
    void temporaryServerStoresAndReturnsRowsAndDeletesItsDirectory() throws Exception {
        long t0 = System.nanoTime();
        Path dir;
        EmbeddedPostgres pg = EmbeddedPostgres.start(null, 0);
        try {
            Timings.print("postgres start (temporary dir)", t0);
            dir = pg.dataDirectory();
            assertTrue(Files.isDirectory(dir));
            assertTrue(pg.port() > 0);
            assertEquals("jdbc:postgresql://localhost:" + pg.port() + "/unmask", pg.jdbcUrl());
            try (Connection c = pg.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE job (id bigint PRIMARY KEY, prompt text NOT NULL)");
                s.execute("INSERT INTO job VALUES (1, 'the [MASK] sat')");
                assertEquals("the [MASK] sat", prompt(c, 1));
                assertEquals("unmask", singleString(c, "SELECT current_database()"));
                assertEquals("off", singleString(c, "SHOW fsync"));
                assertEquals("200", singleString(c, "SHOW max_connections"));
            }
        } finally {
            long t1 = System.nanoTime();
            pg.close();
            Timings.print("postgres stop", t1);
        }
        assertFalse(Files.exists(dir), "temporary data directory deleted at close");
    }

    @Test
    void restartOnTheSameDataDirectoryKeepsRows(@TempDir Path tmp) throws Exception {
        Path dataDir = tmp.resolve("pgdata");
        long t0 = System.nanoTime();
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(dataDir, 0)) {
            Timings.print("postgres start (new kept dir, initdb)", t0);
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(),
                    pg.password()); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE job (id bigint PRIMARY KEY, prompt text NOT NULL)");
                s.execute("INSERT INTO job VALUES (7, 'kept')");
                assertEquals("on", singleString(c, "SHOW fsync"));
            }
        }
        assertTrue(Files.exists(dataDir.resolve("PG_VERSION")), "kept data directory survives close");
        long t1 = System.nanoTime();
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(dataDir, 0)) {
            Timings.print("postgres restart (existing dir)", t1);
            try (Connection c = pg.dataSource().getConnection()) {
                assertEquals("kept", prompt(c, 7));
            }
        }
    }

    @Test
    void closeFreesThePort() throws Exception {
        int port;
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(null, 0)) {
            port = pg.port();
        }
        long t0 = System.nanoTime();
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(null, port)) {
            Timings.print("postgres start (temporary dir, same port again)", t0);
            assertEquals(port, pg.port());
            try (Connection c = pg.dataSource().getConnection()) {
                assertEquals("1", singleString(c, "SELECT 1"));
            }
        }
    }

    private static String prompt(Connection c, long id) throws SQLException {
        return singleString(c, "SELECT prompt FROM job WHERE id = " + id);
    }

    private static String singleString(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), "a row from " + sql);
            String value = rs.getString(1);
            assertFalse(rs.next(), "one row from " + sql);
            return value;
        }
    }
}
