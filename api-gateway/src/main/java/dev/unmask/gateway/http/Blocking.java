package dev.unmask.gateway.http;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.MDC;

/** Runs blocking work (JDBC, file checks) on a named worker pool, never on the event loop. */
public final class Blocking {
    private final WorkerExecutor pool;

    public Blocking(WorkerExecutor pool) {
        this.pool = pool;
    }

    /**
     * Runs {@code work} for several requests at once (a batch), unordered, without the caller's
     * MDC: its log lines belong to no one request.
     */
    public <T> Future<T> runShared(Callable<T> work) {
        return pool.executeBlocking(work, false);
    }

    /**
     * Runs {@code work} unordered (requests do not wait on each other); completes on the caller's
     * context. The caller's logging MDC (a request's {@code job_id}) is in place while it runs.
     */
    public <T> Future<T> run(Callable<T> work) {
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        if (mdc == null || mdc.isEmpty()) {
            return pool.executeBlocking(work, false);
        }
        return pool.executeBlocking(() -> {
            Map<String, String> before = MDC.getCopyOfContextMap();
            MDC.setContextMap(mdc);
            try {
                return work.call();
            } finally {
                if (before == null) {
                    MDC.clear();
                } else {
                    MDC.setContextMap(before);
                }
            }
        }, false);
    }
}
