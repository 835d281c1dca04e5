package dev.unmask.shared.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.jobspec.Param;
import dev.unmask.jobspec.ParamType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads fields of a JSON object, collecting every error (with its path) instead of stopping at the
 * first, so one response can name them all. A missing optional field yields its default. It keeps
 * the first {@link #MAX_KEPT} errors and counts the rest, so a body of a million bad fields costs
 * no more memory than one of fifty. Strings are refused when they hold NUL (U+0000), which
 * PostgreSQL cannot store in text or jsonb.
 */
public final class Validation {
    /** The most errors kept; later ones are only counted. */
    public static final int MAX_KEPT = 50;

    private final List<FieldError> errors = new ArrayList<>();
    private int count;

    public void add(String field, String code, String message) {
        count++;
        if (errors.size() < MAX_KEPT) {
            errors.add(new FieldError(field, code, message));
        }
    }

    public boolean hasErrors() {
        return count > 0;
    }

    /** The errors kept (the first {@link #MAX_KEPT}). */
    public List<FieldError> errors() {
        return List.copyOf(errors);
    }

    /** How many errors were found, kept or not. */
    public int count() {
        return count;
    }

    /** @throws ValidationException when any error was collected */
    public void throwIfAny() {
        if (count > 0) {
            throw new ValidationException(errors, count);
        }
    }

    /** Reports {@code value} at {@code field} when it holds NUL; true when it does. */
    public boolean refuseNul(String field, String value) {
        if (value != null && value.indexOf('\0') >= 0) {
            add(field, "nul", "must not contain the NUL character (U+0000)");
            return true;
        }
        return false;
    }

    /** Reports every field of {@code object} not in {@code known}. */
    public void onlyFields(JsonNode object, String prefix, Set<String> known) {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                add(path(prefix, name), "unknown_field", "unknown field; expected one of " + known.stream().sorted().toList());
            }
        }
    }

    /** An object at {@code field}, or null (with an error) when it is something else; missing -> null, no error. */
    public JsonNode object(JsonNode parent, String prefix, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            add(path(prefix, field), "type", "must be an object");
            return null;
        }
        return node;
    }

    /** A string of 1..maxLength characters; {@code fallback} when missing (null fallback = required). */
    public String string(JsonNode parent, String prefix, String field, String fallback, int maxLength) {
        JsonNode node = parent.get(field);
        String path = path(prefix, field);
        if (node == null || node.isNull()) {
            if (fallback == null) {
                add(path, "required", "is required");
            }
            return fallback;
        }
        if (!node.isTextual()) {
            add(path, "type", "must be a string");
            return fallback;
        }
        String value = node.asText();
        if (value.isEmpty() || value.length() > maxLength) {
            add(path, "length", "must be 1 to " + maxLength + " characters, got " + value.length());
        }
        refuseNul(path, value);
        return value;
    }

    /** A string of 0..maxLength characters (empty allowed); {@code fallback} when missing. */
    public String text(JsonNode parent, String prefix, String field, String fallback, int maxLength) {
        JsonNode node = parent.get(field);
        String path = path(prefix, field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isTextual()) {
            add(path, "type", "must be a string");
            return fallback;
        }
        String value = node.asText();
        if (value.length() > maxLength) {
            add(path, "length", "must be at most " + maxLength + " characters, got " + value.length());
        }
        refuseNul(path, value);
        return value;
    }

    /** One of {@code allowed}; {@code fallback} when missing. */
    public String choice(JsonNode parent, String prefix, String field, String fallback, Set<String> allowed) {
        String value = string(parent, prefix, field, fallback, 64);
        if (value != null && !allowed.contains(value)) {
            add(path(prefix, field), "enum", "must be one of " + allowed.stream().sorted().toList() + ", got '" + value + "'");
        }
        return value;
    }

    /** An integer in [min, max]; {@code fallback} when missing. */
    public long integer(JsonNode parent, String prefix, String field, long fallback, long min, long max) {
        JsonNode node = parent.get(field);
        String path = path(prefix, field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            add(path, "type", "must be an integer");
            return fallback;
        }
        long value = node.asLong();
        if (value < min || value > max) {
            add(path, "range", "must be in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }

    /** A number in [min, max] (or (min, max] when {@code minExclusive}); {@code fallback} when missing. */
    public double number(JsonNode parent, String prefix, String field, double fallback, double min, boolean minExclusive,
            double max) {
        JsonNode node = parent.get(field);
        String path = path(prefix, field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isNumber()) {
            add(path, "type", "must be a number");
            return fallback;
        }
        double value = node.asDouble();
        boolean low = minExclusive ? !(value > min) : !(value >= min);
        if (low || !(value <= max)) {
            add(path, "range", "must be in " + (minExclusive ? "(" : "[") + min + ", " + max + "], got " + value);
        }
        return value;
    }

    /**
     * A described parameter at {@code parent}'s field {@link Param#name()}: its value typed as
     * {@link dev.unmask.jobspec.ParamValues} holds it, or null when missing or of the wrong type
     * (reported). A value outside the parameter's range or choices is reported with the
     * description's code and message, and returned.
     */
    public Object param(JsonNode parent, String prefix, Param p) {
        JsonNode node = parent.get(p.name());
        String path = path(prefix, p.name());
        if (node == null || node.isNull()) {
            return null;
        }
        Object value = switch (p.type()) {
            case INTEGER -> {
                if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                    add(path, "type", "must be an integer");
                    yield null;
                }
                yield node.asLong();
            }
            case NUMBER -> {
                if (!node.isNumber()) {
                    add(path, "type", "must be a number");
                    yield null;
                }
                yield node.asDouble();
            }
            case ENUM -> string(parent, prefix, p.name(), "", 64);
            case STRING -> text(parent, prefix, p.name(), null, Integer.MAX_VALUE);
        };
        if (value != null && !(p.type() == ParamType.ENUM && ((String) value).isEmpty())) {
            p.check(value).ifPresent(e -> add(path, e.code(), e.message()));
        }
        return value;
    }

    public static String path(String prefix, String field) {
        return prefix == null || prefix.isEmpty() ? field : prefix + "." + field;
    }
}
