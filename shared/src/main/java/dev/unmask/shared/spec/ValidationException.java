package dev.unmask.shared.spec;

import java.util.List;
import java.util.stream.Collectors;

/** A request with one or more {@link FieldError}s: the first ones, and how many there were in all. */
public final class ValidationException extends RuntimeException {
    private final List<FieldError> errors;
    private final int count;

    public ValidationException(List<FieldError> errors) {
        this(errors, errors.size());
    }

    public ValidationException(List<FieldError> errors, int count) {
        super(errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; "))
                + (count > errors.size() ? "; and " + (count - errors.size()) + " more" : ""));
        this.errors = List.copyOf(errors);
        this.count = Math.max(count, errors.size());
    }

    public static ValidationException of(String field, String code, String message) {
        return new ValidationException(List.of(new FieldError(field, code, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** How many errors the request had (at least {@code errors().size()}). */
    public int count() {
        return count;
    }
}
