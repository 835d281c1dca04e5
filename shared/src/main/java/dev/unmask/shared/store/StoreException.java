package dev.unmask.shared.store;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** A database operation failed; the message names the operation. */
public class StoreException extends RuntimeException {
    public StoreException(String operation, Throwable cause) {
        super(operation + " failed: " + cause.getMessage(), cause);
    }

    /**
     * Whether the database could not be reached (no connection from the pool, a connection lost,
     * the server shutting down or starting up): an outage that passes, not a wrong statement.
     */
    public boolean unavailable() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException e && e.getSQLState() != null
                    && (e.getSQLState().startsWith("08") || e.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }
}
