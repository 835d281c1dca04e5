package dev.unmask.gateway.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.shared.json.JsonCodec;
import dev.unmask.shared.spec.FieldError;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks an uploaded corpus the way the workers read it, a line at a time: strict UTF-8; for
 * {@code text} one document per non-blank line; for {@code jsonl} each non-blank line a JSON object
 * with a string {@code text}, or string {@code prompt} and {@code completion} (the first object
 * decides which, for the whole file). At least one non-blank document. Reports up to
 * {@value #MAX_ERRORS} bad lines.
 */
public final class DatasetCheck {
    static final int MAX_ERRORS = 10;
    static final int MAX_LINE_BYTES = 16 << 20;

    private DatasetCheck() {}

    /** The number of documents. @throws InvalidDatasetException naming each bad line */
    public static long documents(Path file, String format) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return documents(in, format);
        }
    }

    static long documents(InputStream in, String format) throws IOException {
        Utf8Lines lines = new Utf8Lines(in, MAX_LINE_BYTES);
        List<FieldError> errors = new ArrayList<>();
        boolean jsonl = "jsonl".equals(format);
        Boolean promptCompletion = null;
        long documents = 0;
        while (errors.size() < MAX_ERRORS) {
            String line;
            try {
                line = lines.next();
            } catch (Utf8Lines.BadLine e) {
                errors.add(new FieldError("line " + lines.number(), e.code, "line " + lines.number() + " " + e.getMessage()));
                continue;
            }
            if (line == null) {
                break;
            }
            if (line.isBlank()) {
                continue;
            }
            if (!jsonl) {
                documents++;
                continue;
            }
            JsonNode object = object(line, lines.number(), errors);
            if (object == null) {
                continue;
            }
            if (promptCompletion == null) {
                promptCompletion = object.has("prompt") && object.has("completion");
            }
            String text = promptCompletion ? strings(object, lines.number(), errors, "prompt", "completion")
                    : strings(object, lines.number(), errors, "text");
            if (text != null && !text.isBlank()) {
                documents++;
            }
        }
        if (errors.isEmpty() && documents == 0) {
            errors.add(new FieldError("body", "empty", "the dataset holds no non-blank document"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidDatasetException(errors);
        }
        return documents;
    }

    private static JsonNode object(String line, long number, List<FieldError> errors) {
        try {
            JsonNode node = JsonCodec.MAPPER.readTree(line);
            if (node != null && node.isObject()) {
                return node;
            }
            errors.add(new FieldError("line " + number, "not_an_object", "line " + number + " is not a JSON object"));
        } catch (JsonProcessingException e) {
            errors.add(new FieldError("line " + number, "invalid_json",
                    "line " + number + " is not valid JSON: " + e.getOriginalMessage()));
        }
        return null;
    }

    /** The last of {@code fields}, when each is a string; else null with an error. */
    private static String strings(JsonNode object, long number, List<FieldError> errors, String... fields) {
        String value = null;
        for (String field : fields) {
            JsonNode node = object.get(field);
            if (node == null || !node.isTextual()) {
                errors.add(new FieldError("line " + number, "missing_field",
                        "line " + number + " needs a string field '" + field + "'"));
                return null;
            }
            value = node.asText();
        }
        return value;
    }
}
