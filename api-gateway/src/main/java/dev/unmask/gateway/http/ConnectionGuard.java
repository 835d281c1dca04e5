package dev.unmask.gateway.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Every HTTP/1.x connection, from its accept: routes its requests through {@code requests} (so
 * that a request of an unknown HTTP version reaches {@link RequestGuard} instead of Vert.x's bare
 * 501) and bounds how long a client may take to send a request's head. The first head must be
 * complete within {@code header} of the accept, else the client gets a 408 problem and the
 * connection is closed; after a response has ended, the next head must come within {@code idle}
 * (checked every {@code idle}: the connection is closed at the first check that finds the previous
 * response ended and no new request). Bytes that trickle in do not extend either deadline, unlike
 * Netty's idle timeout, which the server sets as well.
 */
final class ConnectionGuard implements Handler<HttpConnection> {
    private final Handler<HttpServerRequest> requests;
    private final long headerMillis;
    private final long idleMillis;

    ConnectionGuard(Handler<HttpServerRequest> requests, Duration header, Duration idle) {
        this.requests = requests;
        this.headerMillis = header.toMillis();
        this.idleMillis = idle.toMillis();
    }

    @Override
    public void handle(HttpConnection connection) {
        if (connection instanceof HttpServerConnection http1 && connection instanceof ConnectionBase base) {
            Deadline deadline = new Deadline(connection, base);
            http1.handler(deadline::request);
            connection.closeHandler(v -> deadline.cancel());
            base.channelHandlerContext().pipeline().addBefore(VERTX_HANDLER, "unmask-framing", new FramingErrors(deadline));
        }
    }

    /** The name of Vert.x's own handler in the channel pipeline. */
    private static final String VERTX_HANDLER = "handler";

    /**
     * A body the HTTP decoder cannot read (a chunk size that is not hex, say) reaches Vert.x as an
     * exception, and Vert.x closes the connection without a word. Before that, while no response
     * has started, this answers 400 {@code malformed_request} as a problem and closes the connection
     * itself; I/O errors (a reset) pass on untouched.
     */
    private static final class FramingErrors extends io.netty.channel.ChannelInboundHandlerAdapter {
        private final Deadline deadline;

        FramingErrors(Deadline deadline) {
            this.deadline = deadline;
        }

        @Override
        public void exceptionCaught(io.netty.channel.ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof java.io.IOException || !deadline.awaitingResponse()) {
                ctx.fireExceptionCaught(cause);
                return;
            }
            deadline.answered();
            ctx.writeAndFlush(problemResponse(new Problem(400, ProblemCode.MALFORMED_REQUEST, "the request body cannot be "
                    + "parsed as HTTP/1.1" + (cause.getMessage() == null ? "" : ": " + Echo.of(cause.getMessage())))))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** A whole response for {@code problem}, written below Vert.x (no request object to answer through). */
    static FullHttpResponse problemResponse(Problem problem) {
        byte[] body = problem.toJson().toString().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(problem.status()), Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, "close");
        return response;
    }

    /** The head deadline of one connection; all on the connection's event loop. */
    private final class Deadline {
        private final HttpConnection connection;
        private final ConnectionBase base;
        private HttpServerRequest current;
        private long heads;
        private ScheduledFuture<?> timer;

        Deadline(HttpConnection connection, ConnectionBase base) {
            this.connection = connection;
            this.base = base;
            this.timer = schedule(headerMillis, this::firstHeadLate);
        }

        /** On the connection's event loop (where every method of this class runs). */
        private ScheduledFuture<?> schedule(long millis, Runnable task) {
            return base.channel().eventLoop().schedule(task, millis, TimeUnit.MILLISECONDS);
        }

        void request(HttpServerRequest request) {
            timer.cancel(false);
            current = request;
            long seen = ++heads;
            timer = schedule(idleMillis, () -> check(seen));
            requests.handle(request);
        }

        private void check(long seen) {
            if (heads != seen) {
                return;
            }
            if (current.response().ended() && current.isEnded()) {
                connection.close();
            } else {
                timer = schedule(idleMillis, () -> check(seen)); // still busy: an SSE stream, an upload
            }
        }

        private void firstHeadLate() {
            if (heads > 0) {
                return;
            }
            base.channel().writeAndFlush(problemResponse(new Problem(408, ProblemCode.REQUEST_TIMEOUT, "the request line and "
                    + "headers did not arrive within " + headerMillis / 1000.0 + " s of connecting")))
                    .addListener(ChannelFutureListener.CLOSE);
        }

        /** Whether a request has arrived whose response has not started. */
        boolean awaitingResponse() {
            return current != null && !current.response().headWritten();
        }

        /** A response was written below Vert.x: nothing more may be. */
        void answered() {
            current = null;
        }

        void cancel() {
            timer.cancel(false);
        }
    }
}
