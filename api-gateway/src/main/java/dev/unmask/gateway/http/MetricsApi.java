package dev.unmask.gateway.http;

import dev.unmask.gateway.metrics.GatewayMetrics;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /metrics}: every meter of the gateway process in the Prometheus text format 0.0.4 (no API key). */
final class MetricsApi {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final GatewayMetrics metrics;
    private final Blocking blocking;

    MetricsApi(GatewayMetrics metrics, Blocking blocking) {
        this.metrics = metrics;
        this.blocking = blocking;
    }

    /** Scrapes off the event loop (the RSS gauge reads {@code /proc}). */
    void scrape(RoutingContext ctx) {
        blocking.run(metrics::scrape).onSuccess(text -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE)
                .end(text)).onFailure(ctx::fail);
    }
}
