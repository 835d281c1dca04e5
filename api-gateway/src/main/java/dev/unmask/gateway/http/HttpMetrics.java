package dev.unmask.gateway.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code http_server_requests_seconds{method,route,status}}: the time from a request's arrival to
 * the end of its response (for an SSE stream: its lifetime), labelled with the route template
 * ({@code /v1/jobs/{id}}), never the raw path. The first handler of the router.
 */
final class HttpMetrics {
    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
        Duration.ofSeconds(30)};

    private record Key(String method, String route, int status) {}

    private final MeterRegistry registry;
    private final Map<Key, Timer> timers = new ConcurrentHashMap<>();
    private volatile RouteTemplates routes;

    HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The router's routes, once they are all declared. */
    void routes(RouteTemplates templates) {
        this.routes = templates;
    }

    void handle(RoutingContext ctx) {
        long start = System.nanoTime();
        ctx.addEndHandler(done -> record(ctx, System.nanoTime() - start));
        ctx.next();
    }

    private void record(RoutingContext ctx, long nanos) {
        RouteTemplates templates = routes;
        String route = templates == null ? RouteTemplates.UNMATCHED
                : templates.label(ctx.request().method(), ctx.request().path());
        Key key = new Key(ctx.request().method().name(), route, ctx.response().getStatusCode());
        timers.computeIfAbsent(key, this::timer).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** One series: built once (a builder per request cost a tenth of a submit's event-loop time). */
    private Timer timer(Key key) {
        return Timer.builder("http.server.requests").tag("method", key.method()).tag("route", key.route())
                .tag("status", Integer.toString(key.status()))
                .description("HTTP requests by route template and status").serviceLevelObjectives(BUCKETS)
                .register(registry);
    }
}
