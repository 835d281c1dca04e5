package dev.unmask.shared.spec;

/**
 * One thing wrong with a request.
 *
 * @param field the JSON path of the offending value, e.g. {@code hyperparameters.steps}
 * @param code a stable code: {@code required}, {@code type}, {@code range}, {@code enum}, {@code unknown_field}, ...
 */
public record FieldError(String field, String code, String message) {}
