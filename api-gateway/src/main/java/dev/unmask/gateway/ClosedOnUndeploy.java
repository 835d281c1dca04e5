package dev.unmask.gateway;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives resources that are not verticles (the Kafka probe's admin client, the metrics' poller) to
 * Vert.x: deployed with the gateway, undeployed when its Vert.x closes, closing each of them then
 * (off the event loop, in reverse order). So closing the one Vert.x stops everything the gateway runs.
 */
final class ClosedOnUndeploy extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(ClosedOnUndeploy.class);
    private final List<AutoCloseable> resources;

    ClosedOnUndeploy(List<AutoCloseable> resources) {
        this.resources = List.copyOf(resources);
    }

    @Override
    public Future<?> start() {
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        return vertx.executeBlocking(() -> {
            for (int i = resources.size() - 1; i >= 0; i--) {
                try {
                    resources.get(i).close();
                } catch (Exception e) {
                    LOG.warn("closing {}: {}", resources.get(i).getClass().getSimpleName(), e.toString());
                }
            }
            return null;
        });
    }
}
