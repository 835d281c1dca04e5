package dev.unmask.gateway.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/** The HTTP server: the API router on the configured port; JDBC on the shared {@code unmask-jdbc} pool. */
public final class ApiVerticle extends VerticleBase {
    public static final String JDBC_POOL = "unmask-jdbc";
    static final String PROBE_POOL = "unmask-health";

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
        return vertx.createHttpServer(new HttpServerOptions().setCompressionSupported(false))
                .requestHandler(new PathGuard(router))
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
