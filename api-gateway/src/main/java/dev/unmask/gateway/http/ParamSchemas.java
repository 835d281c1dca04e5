package dev.unmask.gateway.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.jobspec.GenerateParams;
import dev.unmask.jobspec.Param;
import dev.unmask.jobspec.ParamSet;
import dev.unmask.jobspec.TrainParams;
import dev.unmask.shared.json.JsonCodec;
import java.util.Locale;

/**
 * The job request schemas of {@code /openapi.json}, generated from the parameter description
 * ({@link TrainParams}, {@link GenerateParams}): {@code TrainHyperparameters}, one noise schema
 * per schedule ({@code DiscreteNoise}, {@code ContinuousNoise}), and the parameters of
 * {@code GenerateJobRequest}. Each property carries the described type, default (a derived one as
 * {@code x-default}, in words), bounds, choices, length, title and doc.
 */
public final class ParamSchemas {
    private ParamSchemas() {}

    /** Puts the generated schemas into {@code schemas} (the document's {@code components.schemas}). */
    public static void install(ObjectNode schemas) {
        ObjectNode hyper = schemas.putObject("TrainHyperparameters");
        hyper.put("type", "object");
        hyper.put("additionalProperties", false);
        hyper.put("description", "every field has a default");
        ObjectNode properties = hyper.putObject("properties");
        for (Param p : TrainParams.SET.params()) {
            if (p.parent().isEmpty()) {
                properties.set(p.name(), property(p));
            } else if (!properties.has(p.parent())) {
                properties.set(p.parent(), group(schemas, TrainParams.SET, p.parent()));
            }
        }
        ObjectNode generate = (ObjectNode) schemas.get("GenerateJobRequest").get("properties");
        for (Param p : GenerateParams.SET.params()) {
            generate.set(p.name(), property(p));
        }
    }

    /**
     * A nested object whose enum (the first parameter in it) picks which others apply: one schema
     * per choice, named after it ({@code DiscreteNoise}), and a {@code oneOf} of them, the default
     * being the described defaults that apply.
     */
    private static ObjectNode group(ObjectNode schemas, ParamSet set, String parent) {
        Param selector = set.params().stream().filter(p -> p.parent().equals(parent)).findFirst().orElseThrow();
        ObjectNode json = JsonCodec.MAPPER.createObjectNode();
        ArrayNode oneOf = json.putArray("oneOf");
        for (String choice : selector.choices()) {
            String name = capitalized(choice) + capitalized(parent);
            ObjectNode schema = schemas.putObject(name);
            schema.put("type", "object");
            schema.put("additionalProperties", false);
            schema.putArray("required").add(selector.name());
            ObjectNode properties = schema.putObject("properties");
            properties.putObject(selector.name()).put("const", choice);
            if (choice.equals(selector.defaultValue())) {
                json.set("default", JsonCodec.MAPPER.createObjectNode().put(selector.name(), choice));
            }
            for (Param p : set.params()) {
                if (p.parent().equals(parent) && p.when() != null && p.when().param() == selector
                        && p.when().value().equals(choice)) {
                    properties.set(p.name(), property(p));
                    if (json.has("default") && json.get("default").path(selector.name()).asText().equals(choice)) {
                        putValue((ObjectNode) json.get("default"), p.name(), p.defaultValue());
                    }
                }
            }
            oneOf.addObject().put("$ref", "#/components/schemas/" + name);
        }
        json.put("title", selector.title());
        json.put("description", selector.doc());
        return json;
    }

    /** One parameter as a JSON Schema property. */
    public static ObjectNode property(Param p) {
        ObjectNode json = JsonCodec.MAPPER.createObjectNode();
        json.put("type", p.type().schemaType());
        if (p.title() != null) {
            json.put("title", p.title());
        }
        switch (p.type()) {
            case INTEGER -> {
                if (p.min() == null && p.max() == null) {
                    json.put("format", "int64");
                }
                putValue(json, p.minExclusive() ? "exclusiveMinimum" : "minimum", p.min());
                putValue(json, "maximum", p.max());
            }
            case NUMBER -> {
                putValue(json, p.minExclusive() ? "exclusiveMinimum" : "minimum", p.min());
                putValue(json, "maximum", p.max());
            }
            case ENUM -> p.choices().forEach(json.putArray("enum")::add);
            case STRING -> json.put("maxLength", p.maxLength());
        }
        if (p.derived() != null) {
            json.put("x-default", p.derived().text());
        } else {
            putValue(json, "default", p.defaultValue());
        }
        String doc = p.doc() + (p.derived() != null ? " (default: " + p.derived().text() + ")" : "");
        json.put("description", doc);
        return json;
    }

    private static void putValue(ObjectNode json, String field, Object value) {
        if (value instanceof Long l) {
            json.put(field, l);
        } else if (value instanceof Double d) {
            json.put(field, d);
        } else if (value instanceof String s) {
            json.put(field, s);
        }
    }

    private static String capitalized(String s) {
        return s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }
}
