package dev.unmask.jobspec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Values of a {@link ParamSet}'s parameters, by path: what a parsed request, a stored spec or a
 * command line hands to whoever builds from it. Integers are {@link Long}, numbers {@link Double},
 * enums and strings {@link String}. Equal when the values are.
 */
public final class ParamValues {
    private final Map<String, Object> values;

    ParamValues(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public Object get(Param p) {
        return values.get(p.path());
    }

    public boolean has(Param p) {
        return values.containsKey(p.path());
    }

    public long getLong(Param p) {
        return (Long) require(p, ParamType.INTEGER);
    }

    public int getInt(Param p) {
        return Math.toIntExact(getLong(p));
    }

    public double getDouble(Param p) {
        return (Double) require(p, ParamType.NUMBER);
    }

    public String getString(Param p) {
        Object v = values.get(p.path());
        if (p.type() != ParamType.ENUM && p.type() != ParamType.STRING || !(v instanceof String s)) {
            throw new IllegalArgumentException(p.path() + " is not a string here: " + v);
        }
        return s;
    }

    private Object require(Param p, ParamType type) {
        Object v = values.get(p.path());
        if (p.type() != type || v == null) {
            throw new IllegalArgumentException(p.path() + " holds no " + type + " here: " + v);
        }
        return v;
    }

    /** These values with one replaced (or added). */
    public ParamValues with(Param p, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(values);
        m.put(p.path(), value);
        return new ParamValues(m);
    }

    /** By path, in the set's order. */
    public Map<String, Object> asMap() {
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParamValues other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
