package dev.unmask.shared.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.jobspec.Param;
import dev.unmask.jobspec.ParamError;
import dev.unmask.jobspec.ParamSet;
import dev.unmask.jobspec.ParamType;
import dev.unmask.jobspec.ParamValues;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A {@link ParamSet}'s values in a JSON object and back: every described parameter read through
 * {@link Validation#param} (nested ones, {@code noise.levels}, from their object), unknown fields
 * refused, a parameter that does not apply (its {@link Param#when} fails) refused as unknown, the
 * set's rules checked, and every default filled in.
 */
final class ParamsJson {
    private ParamsJson() {}

    /**
     * @param prefix the object's path in the request ("" or {@code hyperparameters})
     * @param extra fields of the same object that are not parameters ({@code type}, {@code model})
     */
    static ParamValues read(ParamSet set, JsonNode object, String prefix, Set<String> extra, Validation v) {
        Map<String, Object> given = new LinkedHashMap<>();
        Map<String, JsonNode> groups = new LinkedHashMap<>();
        groups.put("", object);
        Set<String> topLevel = new LinkedHashSet<>(extra);
        for (Param p : set.params()) {
            if (!p.parent().isEmpty() && !groups.containsKey(p.parent())) {
                groups.put(p.parent(), v.object(object, prefix, p.parent()));
            }
            topLevel.add(p.parent().isEmpty() ? p.name() : p.parent());
        }
        Map<String, Set<String>> known = new LinkedHashMap<>();
        known.put("", topLevel);
        for (Param p : set.params()) {
            JsonNode parent = groups.get(p.parent());
            if (parent == null || !set.applies(p, given)) {
                continue;
            }
            known.computeIfAbsent(p.parent(), k -> new LinkedHashSet<>()).add(p.name());
            Object value = v.param(parent, at(prefix, p.parent()), p);
            if (value != null && !(p.type() == ParamType.ENUM && "".equals(value))) { // "": refused, default kept
                given.put(p.path(), value);
            }
        }
        known.forEach((group, names) -> {
            JsonNode node = groups.get(group);
            if (node != null) {
                v.onlyFields(node, at(prefix, group), names);
            }
        });
        ParamValues values = set.resolve(given);
        for (ParamError e : set.rules().apply(values)) {
            v.add(Validation.path(prefix, e.field()), e.code(), e.message());
        }
        return values;
    }

    /** The path of a group ("" = the object itself) inside the object at {@code prefix}. */
    private static String at(String prefix, String group) {
        return group.isEmpty() ? prefix : Validation.path(prefix, group);
    }

    /** Writes every applicable value into {@code object} (nested ones into their object). */
    static void write(ParamSet set, ParamValues values, ObjectNode object) {
        for (Param p : set.params()) {
            Object value = values.get(p);
            if (value == null || !ParamSet.applies(p, values)) {
                continue;
            }
            ObjectNode target = p.parent().isEmpty() ? object
                    : object.has(p.parent()) ? (ObjectNode) object.get(p.parent()) : object.putObject(p.parent());
            switch (p.type()) {
                case INTEGER -> { // as an int when it fits, as the specs were always written (IntNode, not LongNode)
                    long l = (Long) value;
                    if (l == (int) l) {
                        target.put(p.name(), (int) l);
                    } else {
                        target.put(p.name(), l);
                    }
                }
                case NUMBER -> target.put(p.name(), (Double) value);
                case ENUM, STRING -> target.put(p.name(), (String) value);
            }
        }
    }
}
