package dev.unmask.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.shared.json.JsonCodec;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.UncheckedIOException;

/** Writing JSON responses. */
public final class Responses {
    public static final String JSON = "application/json";

    private Responses() {}

    public static void json(RoutingContext ctx, int status, JsonNode body) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON);
        end(ctx.response(), body);
    }

    /** 201 or 202 with a {@code Location}. */
    public static void created(RoutingContext ctx, int status, String location, JsonNode body) {
        ctx.response().putHeader(HttpHeaders.LOCATION, location);
        json(ctx, status, body);
    }

    static Future<Void> end(HttpServerResponse response, JsonNode body) {
        try {
            return response.end(Buffer.buffer(JsonCodec.MAPPER.writeValueAsBytes(body)));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
