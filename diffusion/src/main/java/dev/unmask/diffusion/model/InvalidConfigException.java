package dev.unmask.diffusion.model;

/** A model configuration value that Unmask does not support; the message names field, value and what is supported. */
public final class InvalidConfigException extends IllegalArgumentException {
    private final String field;

    public InvalidConfigException(String field, Object value, String supported) {
        this(field, "config field '" + field + "' = " + render(value) + " is not supported; supported: " + supported);
    }

    private InvalidConfigException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The same error, its message prefixed with where the config came from. */
    public InvalidConfigException in(Object source) {
        return new InvalidConfigException(field, source + ": " + getMessage());
    }

    public String field() {
        return field;
    }

    private static String render(Object value) {
        return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
    }
}
