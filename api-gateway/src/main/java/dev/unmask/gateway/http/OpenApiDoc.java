package dev.unmask.gateway.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.shared.json.JsonCodec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi.json}: the OpenAPI 3.1 description of every route, the resource
 * {@code openapi.json} of this module (a test keeps it equal to the router's routes) with the job
 * parameters' schemas generated from their description ({@link ParamSchemas}).
 */
final class OpenApiDoc {
    static final String RESOURCE = "/openapi.json";

    private final Buffer document;

    private OpenApiDoc(Buffer document) {
        this.document = document;
    }

    static OpenApiDoc load() {
        try (InputStream in = OpenApiDoc.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the gateway's classpath");
            }
            ObjectNode doc = (ObjectNode) JsonCodec.MAPPER.readTree(in);
            ParamSchemas.install((ObjectNode) doc.get("components").get("schemas"));
            return new OpenApiDoc(Buffer.buffer(JsonCodec.MAPPER.writeValueAsBytes(doc)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    void serve(RoutingContext ctx) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, Responses.JSON).end(document);
    }
}
