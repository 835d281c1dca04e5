package dev.unmask.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import java.util.List;

/**
 * Answers 400 to a request whose path holds a broken percent-escape ({@code %ZZ}) before the
 * router sees it (the router would log it as an unhandled exception); passes the rest on.
 */
final class PathGuard implements Handler<HttpServerRequest> {
    private final Router router;

    PathGuard(Router router) {
        this.router = router;
    }

    @Override
    public void handle(HttpServerRequest request) {
        if (escapesAreValid(request.path())) {
            router.handle(request);
        } else {
            Problems.write(request, new Problem(400, ProblemCode.BAD_REQUEST, "the path holds a malformed percent-escape",
                    List.of()));
        }
    }

    static boolean escapesAreValid(String path) {
        if (path == null) {
            return false;
        }
        for (int i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
            if (i + 2 >= path.length() || Character.digit(path.charAt(i + 1), 16) < 0
                    || Character.digit(path.charAt(i + 2), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
