package dev.unmask.gateway.model;

/** A folder that cannot be registered as a model: outside the model roots, or not an HF model folder. */
public final class UnregistrableModelException extends RuntimeException {
    /** Why: the path may not be used, or it does not hold a model. */
    public enum Reason { NOT_ALLOWED, NOT_A_MODEL }

    private final Reason reason;

    UnregistrableModelException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
