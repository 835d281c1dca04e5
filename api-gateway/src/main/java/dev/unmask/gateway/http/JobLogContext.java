package dev.unmask.gateway.http;

import dev.unmask.shared.log.JobLog;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/**
 * Puts the job id of a {@code /v1/jobs/{id}...} request in the logging MDC ({@code job_id}) while
 * its handlers run on the event loop; {@link Blocking} carries it to the worker pool and
 * {@link Problems} restores it when it logs a failure.
 */
@SuppressWarnings("try") // JobLog scopes: opened for their effect on the MDC
final class JobLogContext {
    static final String KEY = "unmask.job_id";

    private JobLogContext() {}

    static void handle(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        if (!isUuid(id)) {
            ctx.next();
            return;
        }
        ctx.put(KEY, id);
        try (JobLog log = JobLog.of(UUID.fromString(id))) {
            ctx.next();
        }
    }

    /** Runs {@code action} with the request's job id (if any) in the MDC. */
    static void with(RoutingContext ctx, Runnable action) {
        String id = ctx.get(KEY);
        if (id == null) {
            action.run();
            return;
        }
        try (JobLog log = JobLog.of(UUID.fromString(id))) {
            action.run();
        }
    }

    private static boolean isUuid(String text) {
        if (text == null) {
            return false;
        }
        try {
            UUID.fromString(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
