package dev.unmask.gateway.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.shared.json.JsonCodec;
import dev.unmask.shared.spec.FieldError;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;

/** An RFC 9457 problem: {@code {type, title, status, detail, code, errors[]}}. */
public record Problem(int status, ProblemCode code, String detail, List<FieldError> errors) {
    public static final String MEDIA_TYPE = "application/problem+json";
    static final String TYPE_PREFIX = "urn:unmask:problem:";

    public Problem {
        errors = List.copyOf(errors);
    }

    public ObjectNode toJson() {
        ObjectNode json = JsonCodec.MAPPER.createObjectNode();
        json.put("type", TYPE_PREFIX + code.wire());
        json.put("title", HttpResponseStatus.valueOf(status).reasonPhrase());
        json.put("status", status);
        json.put("detail", detail);
        json.put("code", code.wire());
        ArrayNode list = json.putArray("errors");
        for (FieldError e : errors) {
            ObjectNode item = list.addObject();
            item.put("field", e.field());
            item.put("code", e.code());
            item.put("message", e.message());
        }
        return json;
    }
}
