package dev.unmask.shared.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the relay that a committed transaction added a due outbox row, so a submitted job reaches
 * Kafka without waiting for the next poll: PostgreSQL {@code LISTEN} on a connection of its own
 * ({@link Outbox#add} sends the {@code NOTIFY}, delivered at commit, to every listening gateway).
 *
 * <p>Only a hint: rows that become due later (a retry's backoff) send nothing, and a lost
 * connection loses notifications, so the relay still polls; {@link #await} then waits the whole
 * time and reconnects at the next call. Used by one thread at a time.
 */
public final class OutboxSignal implements AutoCloseable {
    static final String CHANNEL = "unmask_outbox";
    private static final Logger LOG = LoggerFactory.getLogger(OutboxSignal.class);

    private final Database db;
    private Connection listening;
    private boolean warned;

    public OutboxSignal(Database db) {
        this.db = db;
    }

    /**
     * Returns as soon as a notification arrives (true), or after {@code max} without one (false).
     * A notification that came while nobody waited returns at once.
     */
    public boolean await(Duration max) throws InterruptedException {
        long millis = Math.max(1, max.toMillis());
        Connection c = connection();
        if (c == null) {
            Thread.sleep(millis);
            return false;
        }
        try {
            PGNotification[] got = c.unwrap(PGConnection.class).getNotifications((int) Math.min(millis, Integer.MAX_VALUE));
            return got != null && got.length > 0;
        } catch (SQLException e) {
            LOG.warn("outbox notifications lost ({}); polling until the connection is back", e.getMessage());
            drop();
            Thread.sleep(millis);
            return false;
        }
    }

    private Connection connection() {
        if (listening != null) {
            return listening;
        }
        try {
            Connection c = db.openUnpooled();
            try (Statement s = c.createStatement()) {
                s.execute("LISTEN " + CHANNEL);
            }
            listening = c;
            warned = false;
            return c;
        } catch (SQLException e) {
            if (!warned) {
                LOG.warn("cannot listen for outbox notifications ({}); polling", e.getMessage());
                warned = true;
            }
            return null;
        }
    }

    private void drop() {
        if (listening != null) {
            try {
                listening.close();
            } catch (SQLException e) {
                LOG.debug("closing the outbox listener", e);
            }
            listening = null;
        }
    }

    @Override
    public void close() {
        drop();
    }
}
