package dev.unmask.shared.store;

/** A database operation failed; the message names the operation. */
public class StoreException extends RuntimeException {
    public StoreException(String operation, Throwable cause) {
        super(operation + " failed: " + cause.getMessage(), cause);
    }
}
