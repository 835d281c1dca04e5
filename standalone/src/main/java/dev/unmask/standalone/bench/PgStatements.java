package dev.unmask.standalone.bench;

import dev.unmask.shared.store.Database;
import java.util.Locale;

/**
 * PostgreSQL's own account of a phase, from {@code pg_stat_statements} (the server must preload it:
 * {@link dev.unmask.embedded.EmbeddedPostgres#STATEMENTS_PROPERTY}): {@link #reset()} before the
 * phase, {@link #print(int)} after it. This is how the relay's {@code UPDATE jobs} was found reading
 * every queued job's index entry per pass.
 */
final class PgStatements {
    private final Database db;

    PgStatements(Database db) {
        this.db = db;
    }

    void reset() {
        db.statement("reset pg_stat_statements", c -> {
            try (var st = c.createStatement()) {
                st.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
                st.execute("SELECT pg_stat_statements_reset()");
            }
            return null;
        });
    }

    /** The {@code top} statements by total execution time: calls, rows, ms in all, ms per row. */
    void print(int top) {
        db.statement("read pg_stat_statements", c -> {
            try (var ps = c.prepareStatement("SELECT calls, rows, total_exec_time, "
                    + "left(regexp_replace(query, '\\s+', ' ', 'g'), 120) FROM pg_stat_statements "
                    + "WHERE query NOT LIKE '%pg_stat_statements%' ORDER BY total_exec_time DESC LIMIT ?")) {
                ps.setInt(1, top);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long rows = rs.getLong(2);
                        System.out.printf(Locale.ROOT, "  postgres: %6d calls %7d rows %9.1f ms (%.3f ms a row)  %s%n",
                                rs.getLong(1), rows, rs.getDouble(3), rows == 0 ? 0 : rs.getDouble(3) / rows,
                                rs.getString(4));
                    }
                }
            }
            return null;
        });
    }
}
