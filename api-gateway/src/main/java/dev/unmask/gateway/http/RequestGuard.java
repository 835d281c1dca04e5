package dev.unmask.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Router;
import java.util.List;

/**
 * The first handler of every request, before the router: answers with a problem what the router
 * must not see, and passes the rest on.
 *
 * <ul>
 *   <li>an HTTP version other than 1.0 and 1.1: 505 {@code http_version_not_supported};
 *   <li>HTTP/1.1 without exactly one Host header, or a Host that is not a valid authority (RFC 9112
 *       section 3.2): 400 {@code bad_request};
 *   <li>a broken percent-escape ({@code %ZZ}, a lone {@code %}) in the path or the query: 400
 *       {@code bad_request} (decoding it later would throw inside a route).
 * </ul>
 */
final class RequestGuard implements Handler<HttpServerRequest> {
    private final Router router;

    RequestGuard(Router router) {
        this.router = router;
    }

    @Override
    public void handle(HttpServerRequest request) {
        String refusal = refusal(request);
        if (refusal == null) {
            router.handle(request);
        } else if (request.version() == null) {
            Problems.writeAndClose(request, new Problem(505, ProblemCode.HTTP_VERSION_NOT_SUPPORTED, refusal));
        } else {
            Problems.writeAndClose(request, new Problem(400, ProblemCode.BAD_REQUEST, refusal));
        }
    }

    /** Why {@code request} is refused before routing, or null. */
    static String refusal(HttpServerRequest request) {
        if (request.version() == null) {
            return "this server speaks HTTP/1.0 and HTTP/1.1 only";
        }
        List<String> hosts = request.headers().getAll(HttpHeaders.HOST);
        if (hosts.size() > 1) {
            return "the request has " + hosts.size() + " Host headers; send one";
        }
        if (hosts.isEmpty() && request.version() == HttpVersion.HTTP_1_1) {
            return "an HTTP/1.1 request must carry a Host header";
        }
        if (!hosts.isEmpty() && HostAndPort.parseAuthority(hosts.get(0), -1) == null) {
            return "the Host header is not a valid host[:port]: '" + Echo.of(hosts.get(0)) + "'";
        }
        if (!escapesAreValid(request.uri())) {
            return "the path or query holds a malformed percent-escape";
        }
        return null;
    }

    static boolean escapesAreValid(String uri) {
        if (uri == null) {
            return false;
        }
        for (int i = uri.indexOf('%'); i >= 0; i = uri.indexOf('%', i + 1)) {
            if (i + 2 >= uri.length() || Character.digit(uri.charAt(i + 1), 16) < 0
                    || Character.digit(uri.charAt(i + 2), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
