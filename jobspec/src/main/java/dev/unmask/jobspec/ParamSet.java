package dev.unmask.jobspec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The parameters of one job type, in the order documentation and forms list them, and the rules
 * that tie two of them together (warm-up at most the steps).
 *
 * @param rules errors that no single parameter's range can express, given resolved values
 */
public record ParamSet(String name, List<Param> params, Function<ParamValues, List<ParamError>> rules) {

    public ParamSet {
        params = List.copyOf(params);
        Objects.requireNonNull(rules, "rules");
    }

    public Optional<Param> find(String path) {
        for (Param p : params) {
            if (p.path().equals(path)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    public Param get(String path) {
        return find(path).orElseThrow(() -> new IllegalArgumentException(name + " has no parameter " + path));
    }

    /** Every parameter's default (derived ones from the defaults before them). */
    public ParamValues defaults() {
        return resolve(Map.of());
    }

    /**
     * The given values (by path, typed as {@link ParamValues} holds them) and every other
     * parameter's default, derived defaults computed from what precedes them. Nothing is checked.
     */
    public ParamValues resolve(Map<String, ?> given) {
        for (String path : given.keySet()) {
            get(path);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Param p : params) {
            Object v = given.get(p.path());
            if (v == null && p.derived() != null) {
                v = p.derived().compute().apply(new ParamValues(out));
            } else if (v == null) {
                v = p.defaultValue();
            }
            if (v != null) {
                out.put(p.path(), v);
            }
        }
        return new ParamValues(out);
    }

    /** Whether {@code p} applies to these values (its {@link Param#when} holds, or it has none). */
    public static boolean applies(Param p, ParamValues values) {
        return p.when() == null || p.when().holds(values);
    }

    /**
     * Whether {@code p} applies given these values so far (by path, as {@link #resolve} takes them):
     * resolved, defaults filled in, only when {@code p} has a condition to test.
     */
    public boolean applies(Param p, Map<String, ?> given) {
        return p.when() == null || p.when().holds(resolve(given));
    }

    /** Every error in {@code values}: each applicable parameter's range, then the {@link #rules}. */
    public List<ParamError> errors(ParamValues values) {
        List<ParamError> errors = new ArrayList<>();
        for (Param p : params) {
            Object v = values.get(p);
            if (v != null && applies(p, values)) {
                p.check(v).ifPresent(errors::add);
            }
        }
        errors.addAll(rules.apply(values));
        return errors;
    }

    /** @throws IllegalArgumentException naming every error, for callers without a Validation */
    public ParamValues require(ParamValues values) {
        List<ParamError> errors = errors(values);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ",
                    errors.stream().map(e -> e.field() + " " + e.message()).toList()));
        }
        return values;
    }
}
