package dev.unmask.jobspec;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One parameter of a job: its name as the API spells it, its command-line option, type, default
 * (a constant, or {@link DerivedDefault derived} from the values before it), range, choices and a
 * one-line doc. Built by the static factories and the {@code with}-style methods below, read by
 * the gateway's validation, the engine's config factory, the CLI, {@code /openapi.json} and the UI.
 *
 * @param path the JSON name inside the job's parameter object; nested objects with a dot
 *     ({@code noise.levels})
 * @param cli the command-line option ({@code --batch-size}); null = not an option of the CLI
 * @param title a label for forms ("Batch size")
 * @param defaultValue the constant default (Long, Double or String as {@link ParamType} says); null
 *     when {@code derived} or when the parameter is required
 * @param min the smallest value (Long for integers, Double for numbers); null = unbounded
 * @param minExclusive numbers only: {@code min} itself is refused
 * @param max the largest value, inclusive; null = unbounded
 * @param choices an enum's values, in the order forms list them
 * @param maxLength a string's most characters; 0 for other types
 * @param when the parameter applies only when this holds (noise levels: when the schedule is discrete)
 */
public record Param(String path, String cli, String title, ParamType type, Object defaultValue,
        DerivedDefault derived, Number min, boolean minExclusive, Number max, List<String> choices, int maxLength,
        String doc, Condition when) {

    public Param {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
        choices = List.copyOf(choices);
        if (defaultValue != null) {
            check(path, type, defaultValue);
        }
    }

    private static void check(String path, ParamType type, Object value) {
        Class<?> expected = switch (type) {
            case INTEGER -> Long.class;
            case NUMBER -> Double.class;
            case ENUM, STRING -> String.class;
        };
        if (!expected.isInstance(value)) {
            throw new IllegalArgumentException(path + ": a " + type + " holds a " + expected.getSimpleName()
                    + ", not " + value.getClass().getSimpleName());
        }
    }

    /** An integer with a constant default. */
    public static Param integer(String path, long defaultValue) {
        return of(path, ParamType.INTEGER, defaultValue, List.of(), 0);
    }

    /** A number with a constant default. */
    public static Param number(String path, double defaultValue) {
        return of(path, ParamType.NUMBER, defaultValue, List.of(), 0);
    }

    /** One of {@code choices}, {@code defaultValue} when absent. */
    public static Param choice(String path, String defaultValue, String... choices) {
        return of(path, ParamType.ENUM, defaultValue, List.of(choices), 0);
    }

    /** Free text of at most {@code maxLength} characters. */
    public static Param text(String path, String defaultValue, int maxLength) {
        return of(path, ParamType.STRING, defaultValue, List.of(), maxLength);
    }

    private static Param of(String path, ParamType type, Object defaultValue, List<String> choices, int maxLength) {
        String name = path.substring(path.lastIndexOf('.') + 1);
        return new Param(path, "--" + name.replace('_', '-'), null, type, defaultValue, null, null, false, null,
                choices, maxLength, "", null);
    }

    public Param range(long lo, long hi) {
        return new Param(path, cli, title, type, defaultValue, derived, lo, false, hi, choices, maxLength, doc, when);
    }

    /** A number in [lo, hi], or (lo, hi] when {@code loExclusive}. */
    public Param range(double lo, boolean loExclusive, double hi) {
        return new Param(path, cli, title, type, defaultValue, derived, lo, loExclusive, hi, choices, maxLength, doc,
                when);
    }

    public Param title(String text) {
        return new Param(path, cli, text, type, defaultValue, derived, min, minExclusive, max, choices, maxLength, doc,
                when);
    }

    public Param doc(String text) {
        return new Param(path, cli, title, type, defaultValue, derived, min, minExclusive, max, choices, maxLength, text,
                when);
    }

    /** The command-line option's name; null = none. */
    public Param cli(String option) {
        return new Param(path, option, title, type, defaultValue, derived, min, minExclusive, max, choices, maxLength,
                doc, when);
    }

    /** A default computed from the values before it, instead of a constant. */
    public Param derived(String text, java.util.function.Function<ParamValues, Object> compute) {
        return new Param(path, cli, title, type, null, new DerivedDefault(text, compute), min, minExclusive, max,
                choices, maxLength, doc, when);
    }

    public Param when(Param other, String value) {
        return new Param(path, cli, title, type, defaultValue, derived, min, minExclusive, max, choices, maxLength, doc,
                new Condition(other, value));
    }

    /** The last segment of the path: the JSON key in its object. */
    public String name() {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    /** The object it sits in ({@code noise}), or "" at the top. */
    public String parent() {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(0, dot);
    }

    /** The default as documentation, help and forms show it: "1000", "5% of steps". */
    public String defaultText() {
        if (derived != null) {
            return derived.text();
        }
        return defaultValue == null ? "" : format(defaultValue);
    }

    /** The allowed values in words: "1 to 4096", "(0, 1]", "linear, cosine or constant". */
    public String rangeText() {
        return switch (type) {
            case INTEGER, NUMBER -> {
                if (min == null && max == null) {
                    yield "any";
                }
                yield (minExclusive ? "(" : "[") + (min == null ? "-inf" : format(min)) + ", "
                        + (max == null ? "inf" : format(max)) + "]";
            }
            case ENUM -> String.join(", ", choices);
            case STRING -> "at most " + maxLength + " characters";
        };
    }

    /**
     * The error a value earns, if any; the messages are those the API has always answered.
     *
     * @param value Long, Double or String as the type says
     */
    public Optional<ParamError> check(Object value) {
        check(path, type, value);
        String message = switch (type) {
            case INTEGER -> {
                long v = (Long) value;
                boolean out = min != null && v < min.longValue() || max != null && v > max.longValue();
                yield out ? "must be in [" + min + ", " + max + "], got " + v : null;
            }
            case NUMBER -> {
                double v = (Double) value;
                boolean low = min != null && (minExclusive ? !(v > min.doubleValue()) : !(v >= min.doubleValue()));
                boolean high = max != null && !(v <= max.doubleValue());
                yield low || high ? "must be in " + (minExclusive ? "(" : "[") + min + ", " + max + "], got " + v : null;
            }
            case ENUM -> choices.contains(value) ? null
                    : "must be one of " + choices.stream().sorted().toList() + ", got '" + value + "'";
            case STRING -> ((String) value).length() > maxLength
                    ? "must be at most " + maxLength + " characters, got " + ((String) value).length() : null;
        };
        if (message == null) {
            return Optional.empty();
        }
        String code = switch (type) {
            case INTEGER, NUMBER -> "range";
            case ENUM -> "enum";
            case STRING -> "length";
        };
        return Optional.of(new ParamError(path, code, message));
    }

    /** @throws IllegalArgumentException naming the parameter when {@link #check} refuses the value */
    public void require(Object value) {
        check(value).ifPresent(e -> {
            throw new IllegalArgumentException(path + " " + e.message());
        });
    }

    /** {@link #require} for an int-valued integer parameter (the engine's config records). */
    public int requireInt(int value) {
        require((Object) (long) value);
        return value;
    }

    /** {@link #require} for a number parameter. */
    public double requireNumber(double value) {
        require((Object) value);
        return value;
    }

    static String format(Object value) {
        if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
            return String.format(Locale.ROOT, "%.1f", d);
        }
        if (value instanceof Double d && Double.isFinite(d)) {
            return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        return String.valueOf(value);
    }
}
