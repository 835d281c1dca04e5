package dev.unmask.shared.spec;

import java.util.List;
import java.util.stream.Collectors;

/** A request with one or more {@link FieldError}s. */
public final class ValidationException extends RuntimeException {
    private final List<FieldError> errors;

    public ValidationException(List<FieldError> errors) {
        super(errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public static ValidationException of(String field, String code, String message) {
        return new ValidationException(List.of(new FieldError(field, code, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
