package dev.unmask.jobspec;

/** A parameter applies only when another (an enum listed before it) has a given value. */
public record Condition(Param param, String value) {
    public boolean holds(ParamValues values) {
        return value.equals(values.get(param));
    }

    @Override
    public String toString() {
        return param.path() + " " + value;
    }
}
