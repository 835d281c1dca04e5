package dev.unmask.shared.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The job database: a connection pool, the schema brought up to date by Flyway at open, and
 * transactions that roll back unless their work returns normally.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource pool;

    private Database(HikariDataSource pool) {
        this.pool = pool;
    }

    /**
     * Opens a pool on {@code jdbcUrl} and migrates the schema ({@code db/migration} of the
     * migrations jar). Several gateways and workers may open at once: Flyway serialises them.
     */
    public static Database open(String jdbcUrl, String user, String password, int poolSize, String poolName) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(Math.min(2, poolSize));
        config.setPoolName(poolName);
        config.setAutoCommit(true);
        config.setConnectionTimeout(10_000);
        HikariDataSource pool = new HikariDataSource(config);
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new Database(pool);
    }

    public DataSource dataSource() {
        return pool;
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T tx(String operation, SqlWork<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback); // a connection that died: the first failure says why
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(operation, e);
        }
    }

    /**
     * Runs {@code work}, one statement, in autocommit: the statement is its own transaction (all of
     * it commits, or none), and no {@code BEGIN}/{@code COMMIT} round trips are spent around it.
     * For a single read or a single (possibly multi-table, through CTEs) write.
     */
    public <T> T statement(String operation, SqlWork<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException(operation, e);
        }
    }

    /** Whether the database answers a trivial query (readiness). */
    public boolean ping() {
        try (Connection c = pool.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
