package dev.unmask.gateway.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * Requests the HTTP parser could not read (Vert.x's invalid-request handler): a request line over
 * the limit is a 414 {@code uri_too_long}, headers over the limit a 431 {@code header_too_large},
 * anything else malformed (request line, header syntax, framing such as a duplicate or non-numeric
 * Content-Length) a 400 {@code malformed_request}; each as a problem, and the connection is closed.
 */
final class ParserErrors implements Handler<HttpServerRequest> {
    private final int maxLine;
    private final int maxHeaders;

    ParserErrors(int maxLine, int maxHeaders) {
        this.maxLine = maxLine;
        this.maxHeaders = maxHeaders;
    }

    @Override
    public void handle(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        Problem problem;
        if (cause instanceof TooLongHttpLineException) {
            problem = new Problem(414, ProblemCode.URI_TOO_LONG, "the request line is longer than " + maxLine + " bytes");
        } else if (cause instanceof TooLongHttpHeaderException) {
            problem = new Problem(431, ProblemCode.HEADER_TOO_LARGE, "the request headers are larger than " + maxHeaders + " bytes");
        } else {
            problem = new Problem(400, ProblemCode.MALFORMED_REQUEST, "the request cannot be parsed as HTTP/1.1"
                    + (cause == null || cause.getMessage() == null ? "" : ": " + Echo.of(cause.getMessage())));
        }
        Problems.writeAndClose(request, problem);
    }
}
