package dev.unmask.gateway.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * Route handler before the JSON body handler: a body still arriving {@code timeout} after this
 * point is answered with a 408 {@code request_timeout} problem and its connection closed, so a
 * client that stops sending (or trickles) does not hold a connection and a buffer for ever.
 * Dataset uploads, which may be large, have their own rule ({@link dev.unmask.gateway.dataset.UploadSink}).
 */
final class BodyDeadline {
    private final Vertx vertx;
    private final long millis;

    BodyDeadline(Vertx vertx, Duration timeout) {
        this.vertx = vertx;
        this.millis = timeout.toMillis();
    }

    void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (!request.isEnded()) {
            long timer = vertx.setTimer(millis, id -> {
                if (!request.isEnded()) {
                    Problems.writeAndClose(request, timedOut(millis));
                }
            });
            ctx.addEndHandler(done -> vertx.cancelTimer(timer));
        }
        ctx.next();
    }

    static Problem timedOut(long millis) {
        return new Problem(408, ProblemCode.REQUEST_TIMEOUT, "the request body did not arrive within " + millis / 1000.0 + " s");
    }
}
