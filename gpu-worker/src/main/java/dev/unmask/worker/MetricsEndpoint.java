package dev.unmask.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A worker's {@code GET /metrics} (Prometheus text format 0.0.4), {@code GET /health/live} (the
 * process answers) and {@code GET /health/ready} (it is consuming: {@code ready} says so; 503
 * otherwise) on {@code UNMASK_METRICS_PORT}: the JDK's small HTTP server on one thread.
 */
final class MetricsEndpoint implements AutoCloseable {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Listens on {@code port} (0: a free one) and answers with {@code scrape}'s text and {@code ready}'s state. */
    static MetricsEndpoint start(int port, Supplier<String> scrape, BooleanSupplier ready) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
            ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "unmask-worker-metrics");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(executor);
            server.createContext("/", exchange -> answer(exchange, scrape, ready));
            server.start();
            return new MetricsEndpoint(server, executor);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve worker metrics on port " + port, e);
        }
    }

    private static void answer(HttpExchange exchange, Supplier<String> scrape, BooleanSupplier ready)
            throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            boolean known = path.equals("/metrics") || path.equals("/health/live") || path.equals("/health/ready");
            if (!known || !"GET".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(known ? 405 : 404, -1);
                return;
            }
            int status = 200;
            String type = "application/json";
            String text;
            if (path.equals("/metrics")) {
                type = CONTENT_TYPE;
                text = scrape.get();
            } else if (path.equals("/health/live") || ready.getAsBoolean()) {
                text = "{\"status\":\"up\"}";
            } else {
                status = 503;
                text = "{\"status\":\"down\"}";
            }
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
