package dev.unmask.jobspec;

import java.util.function.Function;

/**
 * A default computed from the other values (warm-up = 5% of steps) or drawn (a generate seed).
 *
 * @param text how the documentation, the help and the forms word it ("5% of steps")
 * @param compute the value, from the values resolved before it (the parameters listed earlier)
 */
public record DerivedDefault(String text, Function<ParamValues, Object> compute) {}
