package dev.unmask.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RouteTemplatesTest {
    static Vertx vertx;
    static RouteTemplates routes;

    @BeforeAll
    static void routes() {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.route().handler(ctx -> ctx.next()); // middleware: no methods, no label
        router.post("/v1/jobs").handler(ctx -> {});
        router.get("/v1/jobs").handler(ctx -> {});
        router.get("/v1/jobs/:id").handler(ctx -> {});
        router.post("/v1/jobs/:id/cancel").handler(ctx -> {});
        router.get("/v1/models/:id/files/:name").handler(ctx -> {});
        router.get("/v1/*").handler(ctx -> {});
        router.get("/*").handler(ctx -> {});
        routes = RouteTemplates.of(router);
    }

    @AfterAll
    static void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aRequestIsLabelledWithTheFirstRouteThatMatchesItsMethodAndPath() {
        assertEquals("/v1/jobs", routes.label(HttpMethod.POST, "/v1/jobs"));
        assertEquals("/v1/jobs", routes.label(HttpMethod.GET, "/v1/jobs"));
        assertEquals("/v1/jobs/{id}", routes.label(HttpMethod.GET, "/v1/jobs/4f1c"));
        assertEquals("/v1/jobs/{id}/cancel", routes.label(HttpMethod.POST, "/v1/jobs/4f1c/cancel"));
        assertEquals("/v1/models/{id}/files/{name}", routes.label(HttpMethod.GET, "/v1/models/m1/files/config.json"));
        assertEquals("/v1/*", routes.label(HttpMethod.GET, "/v1/jobs/4f1c/cancel"), "GET: only the wildcard");
        assertEquals("/v1/*", routes.label(HttpMethod.GET, "/v1/jobs/"), "a parameter is never empty");
        assertEquals("/v1/*", routes.label(HttpMethod.GET, "/v1/jobs/a/b"), "nor holds a slash");
        assertEquals("/*", routes.label(HttpMethod.GET, "/index.html"));
        assertEquals("/*", routes.label(HttpMethod.GET, "/v1jobs"), "the literal text is the whole segment");
        assertEquals(RouteTemplates.UNMATCHED, routes.label(HttpMethod.POST, "/v1/jobs/4f1c"));
        assertEquals(RouteTemplates.UNMATCHED, routes.label(HttpMethod.POST, "/v1/jobs/"));
        assertEquals(RouteTemplates.UNMATCHED, routes.label(HttpMethod.DELETE, "/v1/jobs"));
    }
}
