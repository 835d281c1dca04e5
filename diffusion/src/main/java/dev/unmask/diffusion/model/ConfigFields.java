package dev.unmask.diffusion.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.diffusion.util.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * Typed reads of HF {@code config.json} fields, shared by every model family's config. A missing
 * required field or a value of the wrong type throws an {@link InvalidConfigException} naming it.
 */
final class ConfigFields {
    private ConfigFields() {}

    /** The JSON object of a {@code config.json} file. */
    static ObjectNode readObject(Path configJson) throws IOException {
        JsonNode json = Json.read(configJson);
        if (!json.isObject()) {
            throw new IOException(configJson + " must hold a JSON object");
        }
        return (ObjectNode) json;
    }

    /** A copy of {@code json} without the fields a config interprets itself. */
    static ObjectNode extra(ObjectNode json, String... known) {
        ObjectNode extra = json.deepCopy();
        for (String field : known) {
            extra.remove(field);
        }
        return extra;
    }

    /** Adds every field of {@code extra} to {@code json}, replacing fields of the same name. */
    static void putAll(ObjectNode json, ObjectNode extra) {
        for (Iterator<Map.Entry<String, JsonNode>> it = extra.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            json.set(e.getKey(), e.getValue());
        }
    }

    static void positive(String field, int value) {
        if (value <= 0) {
            throw new InvalidConfigException(field, value, "a positive integer");
        }
    }

    static JsonNode required(ObjectNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            throw new InvalidConfigException(field, "missing", "a value is required");
        }
        return node;
    }

    static String requiredText(ObjectNode json, String field) {
        JsonNode node = required(json, field);
        if (!node.isTextual()) {
            throw new InvalidConfigException(field, node, "a string");
        }
        return node.asText();
    }

    static int requiredInt(ObjectNode json, String field) {
        return asInt(field, required(json, field));
    }

    static int optionalInt(ObjectNode json, String field, int fallback) {
        JsonNode node = json.get(field);
        return node == null || node.isNull() ? fallback : asInt(field, node);
    }

    static double optionalDouble(ObjectNode json, String field, double fallback) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isNumber()) {
            throw new InvalidConfigException(field, node, "a number");
        }
        return node.asDouble();
    }

    static boolean optionalBoolean(ObjectNode json, String field, boolean fallback) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw new InvalidConfigException(field, node, "true or false");
        }
        return node.asBoolean();
    }

    static String optionalText(ObjectNode json, String field, String fallback) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isTextual()) {
            throw new InvalidConfigException(field, node, "a string");
        }
        return node.asText();
    }

    private static int asInt(String field, JsonNode node) {
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new InvalidConfigException(field, node, "an integer");
        }
        return node.asInt();
    }
}
