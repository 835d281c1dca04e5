package dev.unmask.gateway.http;

import dev.unmask.shared.config.Settings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.TimeUnit;

/** The HTTP server: the API router on the configured port; JDBC on the shared {@code unmask-jdbc} pool. */
public final class ApiVerticle extends VerticleBase {
    public static final String JDBC_POOL = "unmask-jdbc";
    static final String PROBE_POOL = "unmask-health";
    /** The longest request line (method, target, version), bytes: longer is a 414. */
    static final int MAX_LINE = 4096;
    /** The largest request head (all header lines), bytes: larger is a 431. */
    static final int MAX_HEADERS = 8192;

    private final Services services;
    private final int port;
    private WorkerExecutor jdbc;
    private WorkerExecutor probes;
    private HttpServer server;
    private volatile io.vertx.ext.web.Router router;

    public ApiVerticle(Services services, int port) {
        this.services = services;
        this.port = port;
    }

    @Override
    public Future<?> start() {
        jdbc = vertx.createSharedWorkerExecutor(JDBC_POOL, services.jdbcPoolSize());
        probes = vertx.createSharedWorkerExecutor(PROBE_POOL, 2);
        router = ApiRouter.create(vertx, services, new Blocking(jdbc), new Blocking(probes));
        Settings.HttpTimeouts timeouts = services.settings().http();
        // HTTP/1.x only: with h2c detection on, Vert.x meets a connection (and ConnectionGuard starts
        // its deadline) only once the first request's head is complete.
        HttpServerOptions options = new HttpServerOptions().setCompressionSupported(false).setHttp2ClearTextEnabled(false)
                .setMaxInitialLineLength(MAX_LINE).setMaxHeaderSize(MAX_HEADERS)
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS).setIdleTimeout((int) timeouts.idle().toMillis());
        RequestGuard guard = new RequestGuard(router);
        return vertx.createHttpServer(options)
                .requestHandler(guard)
                .invalidRequestHandler(new ParserErrors(MAX_LINE, MAX_HEADERS))
                .connectionHandler(new ConnectionGuard(guard, timeouts.header(), timeouts.idle()))
                .listen(port)
                .onSuccess(s -> server = s);
    }

    @Override
    public Future<?> stop() {
        Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
        return closed.eventually(() -> Future.join(jdbc.close(), probes.close()));
    }

    /** The router the server serves (once started). */
    public io.vertx.ext.web.Router router() {
        return router;
    }

    /** The port the server listens on (the configured one, or the one chosen for port 0). */
    public int actualPort() {
        return server.actualPort();
    }
}
