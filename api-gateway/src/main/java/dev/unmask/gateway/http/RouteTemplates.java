package dev.unmask.gateway.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The router's routes as templates: the {@code route} label of the HTTP meters and the operations
 * {@code /openapi.json} must document. A route is an operation when it names methods and an exact
 * path ({@code /v1/jobs/:id}, written {@code /v1/jobs/{id}} as in OpenAPI). Routes without methods
 * are middleware (auth, body, job log context); a path ending in {@code *} serves static UI assets
 * ({@code GET /*}): neither is documented, and a wildcard route labels its requests with its pattern.
 */
public final class RouteTemplates {
    /**
     * One route: its methods, its label and the requests it matches. {@code literal} is the route's
     * text before its first parameter or wildcard (all of it when it has none): a request that does
     * not start with it (or, for a route without parameters, equal it) is refused without the
     * pattern, which runs on every request the meters label otherwise.
     */
    record Template(Set<HttpMethod> methods, String label, Pattern pattern, boolean wildcard, String literal,
            boolean plain) {
        boolean matches(HttpMethod method, String path) {
            if (!methods.contains(method)) {
                return false;
            }
            return plain ? path.equals(literal) : path.startsWith(literal) && pattern.matcher(path).matches();
        }
    }

    static final String UNMATCHED = "unmatched";
    private static final Pattern PARTS = Pattern.compile(":[A-Za-z0-9_]+|\\*");

    private final List<Template> templates;

    private RouteTemplates(List<Template> templates) {
        this.templates = templates;
    }

    /** The templates of {@code router}'s routes that name methods, in routing order. */
    static RouteTemplates of(Router router) {
        List<Template> list = new ArrayList<>();
        for (Route route : router.getRoutes()) {
            String path = route.getPath();
            if (path == null || route.methods() == null || route.methods().isEmpty()) {
                continue;
            }
            // Vert.x keeps "/*" as the prefix route "/": not exact, so a wildcard too
            boolean wildcard = path.endsWith("*") || !route.isExactPath();
            String pattern = wildcard && !path.endsWith("*") ? path + (path.endsWith("/") ? "*" : "/*") : path;
            Matcher first = PARTS.matcher(pattern);
            boolean plain = !first.find();
            String literal = plain ? pattern : pattern.substring(0, first.start());
            list.add(new Template(Set.copyOf(route.methods()), openApiPath(pattern), regex(pattern), wildcard, literal,
                    plain));
        }
        return new RouteTemplates(List.copyOf(list));
    }

    /** The label of a request: the template of the first route that matches it, else {@value #UNMATCHED}. */
    String label(HttpMethod method, String path) {
        for (Template t : templates) {
            if (t.matches(method, path)) {
                return t.label();
            }
        }
        return UNMATCHED;
    }

    /** Every documented operation of {@code router}: {@code "GET /v1/jobs/{id}"}, sorted. */
    public static Set<String> operations(Router router) {
        Set<String> out = new TreeSet<>();
        for (Template t : of(router).templates) {
            if (!t.wildcard()) {
                t.methods().forEach(m -> out.add(m.name() + " " + t.label()));
            }
        }
        return out;
    }

    /** {@code /v1/models/:id/files/:name} becomes {@code /v1/models/{id}/files/{name}}. */
    public static String openApiPath(String vertxPath) {
        return vertxPath.replaceAll(":([A-Za-z0-9_]+)", "{$1}");
    }

    private static Pattern regex(String path) {
        StringBuilder regex = new StringBuilder();
        Matcher m = PARTS.matcher(path);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(path.substring(last, m.start())));
            regex.append(m.group().equals("*") ? ".*" : "[^/]+");
            last = m.end();
        }
        regex.append(Pattern.quote(path.substring(last)));
        return Pattern.compile(regex.toString());
    }
}
