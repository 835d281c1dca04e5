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
import java.util.function.Supplier;

/**
 * A worker's {@code GET /metrics} (Prometheus text format 0.0.4) on {@code UNMASK_METRICS_PORT}:
 * the JDK's small HTTP server on one thread, nothing else served.
 */
final class MetricsEndpoint implements AutoCloseable {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Listens on {@code port} (0: a free one) and answers with {@code scrape}'s text. */
    static MetricsEndpoint start(int port, Supplier<String> scrape) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
            ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "unmask-worker-metrics");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(executor);
            server.createContext("/", exchange -> answer(exchange, scrape));
            server.start();
            return new MetricsEndpoint(server, executor);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve worker metrics on port " + port, e);
        }
    }

    private static void answer(HttpExchange exchange, Supplier<String> scrape) throws IOException {
        try (exchange) {
            boolean metrics = "/metrics".equals(exchange.getRequestURI().getPath());
            boolean get = "GET".equals(exchange.getRequestMethod());
            if (!metrics || !get) {
                exchange.sendResponseHeaders(metrics ? 405 : 404, -1);
                return;
            }
            byte[] body = scrape.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.sendResponseHeaders(200, body.length);
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
