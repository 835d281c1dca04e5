package dev.unmask.jobspec;

/**
 * A value a description refuses.
 *
 * @param field the parameter's path, as the API spells it ({@code noise.levels})
 * @param code the stable error code: {@code range}, {@code enum}, {@code length}
 * @param message what is wrong, without the field's name ("must be in [1, 4096], got 0")
 */
public record ParamError(String field, String code, String message) {}
