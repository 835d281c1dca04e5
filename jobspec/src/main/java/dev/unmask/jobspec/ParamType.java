package dev.unmask.jobspec;

/** What a parameter's value is, and the Java type {@link ParamValues} holds it as. */
public enum ParamType {
    /** A whole number, held as {@link Long}; JSON integer, OpenAPI {@code integer}. */
    INTEGER,
    /** A real number, held as {@link Double}; JSON number, OpenAPI {@code number}. */
    NUMBER,
    /** One of {@link Param#choices()}, held as {@link String}. */
    ENUM,
    /** Free text of at most {@link Param#maxLength()} characters, held as {@link String}. */
    STRING;

    /** The OpenAPI / JSON Schema type name. */
    public String schemaType() {
        return switch (this) {
            case INTEGER -> "integer";
            case NUMBER -> "number";
            case ENUM, STRING -> "string";
        };
    }
}
