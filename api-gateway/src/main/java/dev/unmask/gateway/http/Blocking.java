package dev.unmask.gateway.http;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;

/** Runs blocking work (JDBC, file checks) on a named worker pool, never on the event loop. */
public final class Blocking {
    private final WorkerExecutor pool;

    public Blocking(WorkerExecutor pool) {
        this.pool = pool;
    }

    /** Runs {@code work} unordered (requests do not wait on each other); completes on the caller's context. */
    public <T> Future<T> run(Callable<T> work) {
        return pool.executeBlocking(work, false);
    }
}
