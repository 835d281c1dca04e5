package dev.unmask.gateway.http;

import dev.unmask.shared.spec.ValidationException;
import dev.unmask.shared.store.IdempotencyConflictException;
import dev.unmask.shared.store.StoreException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place that turns a failure (a domain exception or a bare status) into a problem+json response. */
public final class Problems {
    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
    private static final String RETRY_AFTER_SECONDS = "5";

    private Problems() {}

    /** Failure and error handler of the router. */
    public static void handle(RoutingContext ctx) {
        JobLogContext.with(ctx, () -> {
            Throwable failure = ctx.failure();
            if (failure != null && hungUp(ctx, failure)) {
                LOG.debug("{} {}: the client hung up ({})", ctx.request().method(), ctx.request().path(), failure.toString());
                if (!ctx.response().closed()) {
                    ctx.request().connection().close();
                }
                return;
            }
            Problem problem = failure != null ? of(failure, ctx) : ofStatus(ctx.statusCode() < 0 ? 500 : ctx.statusCode());
            write(ctx, problem);
        });
    }

    static Problem of(Throwable failure, RoutingContext ctx) {
        if (failure instanceof ApiException e) {
            return new Problem(e.status(), e.code(), e.getMessage(), e.errors());
        }
        if (failure instanceof ValidationException e) {
            return new Problem(422, ProblemCode.VALIDATION_FAILED, "the request has invalid fields", e.errors(), e.count());
        }
        if (failure instanceof IdempotencyConflictException e) {
            return new Problem(409, ProblemCode.IDEMPOTENCY_CONFLICT, e.getMessage(), List.of());
        }
        if (failure instanceof HttpException e && e.getStatusCode() < 500) {
            return ofStatus(e.getStatusCode());
        }
        if (failure instanceof StoreException e && e.unavailable()) {
            LOG.warn("{} {}: database unavailable: {}", ctx.request().method(), ctx.request().path(), failure.getMessage());
            return new Problem(503, ProblemCode.UNAVAILABLE, "the job database is not answering; retry later", List.of());
        }
        LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), failure);
        return new Problem(500, ProblemCode.INTERNAL, "an unexpected error occurred; it has been logged", List.of());
    }

    static Problem ofStatus(int status) {
        return switch (status) {
            case 400 -> new Problem(400, ProblemCode.BAD_REQUEST, "the request is malformed", List.of());
            case 401 -> new Problem(401, ProblemCode.UNAUTHORIZED, "a valid API key is required", List.of());
            case 404 -> new Problem(404, ProblemCode.NOT_FOUND, "no such resource", List.of());
            case 405 -> new Problem(405, ProblemCode.METHOD_NOT_ALLOWED, "this resource does not support the method", List.of());
            case 408 -> new Problem(408, ProblemCode.REQUEST_TIMEOUT, "the request did not arrive in time", List.of());
            case 413 -> new Problem(413, ProblemCode.PAYLOAD_TOO_LARGE, "the request body is too large", List.of());
            case 414 -> new Problem(414, ProblemCode.URI_TOO_LONG, "the request line is too long", List.of());
            case 415 -> new Problem(415, ProblemCode.UNSUPPORTED_MEDIA_TYPE, "unsupported Content-Type", List.of());
            case 431 -> new Problem(431, ProblemCode.HEADER_TOO_LARGE, "the request headers are too large", List.of());
            default -> status >= 400 && status < 500
                    ? new Problem(status, ProblemCode.CLIENT_ERROR, "the request cannot be served", List.of())
                    : new Problem(500, ProblemCode.INTERNAL, "an unexpected error occurred", List.of());
        };
    }

    /** The client went away (a dropped upload, a reset): nobody is left to answer, nothing went wrong here. */
    private static boolean hungUp(RoutingContext ctx, Throwable failure) {
        return ctx.response().closed() || failure instanceof io.vertx.core.http.HttpClosedException
                || failure instanceof io.vertx.core.VertxException v && "Connection was closed".equals(v.getMessage());
    }


    /** Writes {@code problem}, unless the response has started (a stream): then the connection is closed. */
    public static void write(RoutingContext ctx, Problem problem) {
        write(ctx.request(), problem);
    }

    /** Writes {@code problem} as the answer to {@code request}. */
    public static void write(HttpServerRequest request, Problem problem) {
        send(request, problem);
    }

    private static Future<Void> send(HttpServerRequest request, Problem problem) {
        HttpServerResponse response = request.response();
        if (response.headWritten()) {
            request.connection().close();
            return Future.succeededFuture();
        }
        response.setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (problem.status() == 503) {
            response.putHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        if (problem.status() == 401) {
            response.putHeader("WWW-Authenticate", "Bearer realm=\"unmask\"");
        }
        if (!request.isEnded()) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        return Responses.end(response, problem.toJson());
    }

    /**
     * Writes {@code problem} (unless a response has started) and closes the connection once it is
     * sent: for requests whose rest cannot be trusted (unparseable, timed out, an unknown version).
     */
    public static void writeAndClose(HttpServerRequest request, Problem problem) {
        HttpServerResponse response = request.response();
        if (response.headWritten()) {
            request.connection().close();
            return;
        }
        response.putHeader(HttpHeaders.CONNECTION, "close");
        send(request, problem).onComplete(sent -> request.connection().close());
    }
}
