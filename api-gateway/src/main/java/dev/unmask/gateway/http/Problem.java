package dev.unmask.gateway.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.shared.json.JsonCodec;
import dev.unmask.shared.spec.FieldError;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;

/**
 * An RFC 9457 problem: {@code {type, title, status, detail, code, errors[]}}. Its size is bounded
 * whatever the request held: at most {@link #MAX_ERRORS} field errors (then {@code errors_omitted}
 * counts the rest), and every text cut to a length that no useful message needs.
 */
public record Problem(int status, ProblemCode code, String detail, List<FieldError> errors, int errorCount) {
    public static final String MEDIA_TYPE = "application/problem+json";
    static final String TYPE_PREFIX = "urn:unmask:problem:";
    /** The most field errors a response lists. */
    public static final int MAX_ERRORS = 50;
    private static final int MAX_DETAIL = 1000;
    private static final int MAX_FIELD = 200;
    private static final int MAX_MESSAGE = 400;

    public Problem {
        errors = List.copyOf(errors);
        errorCount = Math.max(errorCount, errors.size());
    }

    public Problem(int status, ProblemCode code, String detail, List<FieldError> errors) {
        this(status, code, detail, errors, errors.size());
    }

    public Problem(int status, ProblemCode code, String detail) {
        this(status, code, detail, List.of(), 0);
    }

    public ObjectNode toJson() {
        ObjectNode json = JsonCodec.MAPPER.createObjectNode();
        json.put("type", TYPE_PREFIX + code.wire());
        json.put("title", HttpResponseStatus.valueOf(status).reasonPhrase());
        json.put("status", status);
        json.put("detail", Echo.cut(detail, MAX_DETAIL));
        json.put("code", code.wire());
        ArrayNode list = json.putArray("errors");
        int listed = Math.min(errors.size(), MAX_ERRORS);
        for (FieldError e : errors.subList(0, listed)) {
            ObjectNode item = list.addObject();
            item.put("field", Echo.cut(e.field(), MAX_FIELD));
            item.put("code", e.code());
            item.put("message", Echo.cut(e.message(), MAX_MESSAGE));
        }
        if (errorCount > listed) {
            json.put("errors_omitted", errorCount - listed);
        }
        return json;
    }
}
