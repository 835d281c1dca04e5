package dev.unmask.gateway.dataset;

import dev.unmask.shared.spec.FieldError;
import java.util.List;

/** An uploaded corpus that workers could not read; each error's field is {@code line N} (or {@code body}). */
public final class InvalidDatasetException extends RuntimeException {
    private final List<FieldError> errors;

    public InvalidDatasetException(List<FieldError> errors) {
        super(errors.isEmpty() ? "invalid dataset" : errors.get(0).field() + ": " + errors.get(0).message());
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
