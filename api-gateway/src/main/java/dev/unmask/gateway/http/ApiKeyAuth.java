package dev.unmask.gateway.http;

import dev.unmask.shared.store.ApiKeyStore;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code Authorization: Bearer <secret>} on every {@code /v1} request: the key's id becomes the
 * request's owner. Successful lookups are cached for a short while.
 */
public final class ApiKeyAuth {
    private static final String OWNER = "unmask.owner";
    private static final int MAX_CACHED = 10_000;

    private record Cached(UUID owner, Instant until) {}

    private final ApiKeyStore keys;
    private final Blocking blocking;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public ApiKeyAuth(ApiKeyStore keys, Blocking blocking, Duration ttl, Clock clock) {
        this.keys = keys;
        this.blocking = blocking;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The owner {@link #handle} put on the request. */
    public static UUID owner(RoutingContext ctx) {
        UUID owner = ctx.get(OWNER);
        if (owner == null) {
            throw new IllegalStateException("route is not behind ApiKeyAuth");
        }
        return owner;
    }

    public void handle(RoutingContext ctx) {
        String secret = bearer(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
        if (secret == null) {
            ctx.fail(ApiException.unauthorized("send the API key as 'Authorization: Bearer <key>'"));
            return;
        }
        Cached hit = cache.get(secret);
        if (hit != null && hit.until().isAfter(clock.instant())) {
            ctx.put(OWNER, hit.owner());
            ctx.next();
            return;
        }
        // The body must wait for the handlers after this asynchronous lookup.
        ctx.request().pause();
        blocking.run(() -> keys.authenticate(secret)).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            Optional<UUID> owner = ar.result();
            if (owner.isEmpty()) {
                ctx.fail(ApiException.unauthorized("the API key is not valid"));
                return;
            }
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
            cache.put(secret, new Cached(owner.get(), clock.instant().plus(ttl)));
            ctx.put(OWNER, owner.get());
            ctx.next();
        });
    }

    static String bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String secret = header.substring(7).trim();
        return secret.isEmpty() ? null : secret;
    }
}
