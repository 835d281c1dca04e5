package dev.unmask.corpus;


import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** Parsing one line of a JSON Lines file, every failure naming the file and line. */
final class JsonLines {
    /** Reads one JSON value and refuses anything after it on the line. */
    static final ObjectReader READER = new ObjectMapper().enable(JsonParser.Feature.INCLUDE_SOURCE_IN_LOCATION).reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonLines() {}

    /** The JSON object on line {@code line} of {@code file}. */
    static JsonNode object(String text, Path file, long line) throws CorpusException {
        JsonNode node;
        try {
            node = READER.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String column = at != null && at.getColumnNr() > 0 ? " at column " + at.getColumnNr() : "";
            throw CorpusException.atLine(file, line, CorpusException.Problem.INVALID_JSON, "invalid JSON" + column + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw CorpusException.atLine(file, line, CorpusException.Problem.INVALID_JSON, "invalid JSON: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw CorpusException.atLine(file, line, CorpusException.Problem.NOT_AN_OBJECT,
                    "expected a JSON object, got " + (node == null ? "nothing" : typeName(node)));
        }
        return node;
    }

    /** The string field {@code name} of {@code object}. */
    static String string(JsonNode object, String name, Path file, long line) throws CorpusException {
        JsonNode value = object.get(name);
        if (value == null) {
            throw CorpusException.atLine(file, line, CorpusException.Problem.MISSING_FIELD, "missing field \"" + name + "\"");
        }
        if (!value.isTextual()) {
            throw CorpusException.atLine(file, line, CorpusException.Problem.MISSING_FIELD,
                    "field \"" + name + "\" must be a string, got " + typeName(value));
        }
        return value.asText();
    }

    private static String typeName(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
