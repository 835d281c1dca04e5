package dev.unmask.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.unmask.shared.json.JsonCodec;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.Locale;

/** Reads a JSON request body: {@code application/json} only (415 otherwise), well-formed (400 otherwise). */
public final class JsonBodies {
    private static final ObjectReader READER = JsonCodec.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonBodies() {}

    public static JsonNode read(RoutingContext ctx) {
        String type = mediaType(ctx.request().getHeader("Content-Type"));
        if (!type.equals("application/json") && !type.endsWith("+json")) {
            throw new ApiException(415, ProblemCode.UNSUPPORTED_MEDIA_TYPE,
                    "send the body as application/json, got '" + (type.isEmpty() ? "none" : type) + "'");
        }
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            throw ApiException.badRequest(ProblemCode.MALFORMED_JSON, "the body is empty; expected a JSON object");
        }
        try {
            return READER.readTree(body.getBytes());
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw ApiException.badRequest(ProblemCode.MALFORMED_JSON, "the body is not valid JSON: " + e.getOriginalMessage()
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
        } catch (IOException e) {
            throw ApiException.badRequest(ProblemCode.MALFORMED_JSON, "the body is not valid JSON");
        }
    }

    /** The media type of a Content-Type header, lower case, without parameters; empty when absent. */
    public static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }
}
