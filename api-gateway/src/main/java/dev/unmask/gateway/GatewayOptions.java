package dev.unmask.gateway;

import java.time.Clock;
import java.time.Duration;

/**
 * Gateway tunables that are not deployment settings (those are {@link dev.unmask.shared.config.Settings}).
 *
 * @param relayBatch outbox rows per relay pass
 * @param relayIdle the longest wait after a pass that found less than a full batch (a job submitted
 *     through this gateway wakes the relay at once; other rows - events, retries - are found by this poll)
 * @param reaperInterval between lease reaper passes
 * @param sseHeartbeat between SSE heartbeat comments
 * @param authCacheTtl how long a successful API key lookup is reused
 * @param jsonBodyLimit the largest JSON request body, bytes
 * @param startTimeout how long {@link Gateway#start} waits for the server and the event consumer
 * @param metricsInterval between refreshes of the gauges read from PostgreSQL and Kafka (queue depth, lag)
 * @param pruneInterval between passes of the event pruner (see {@code UNMASK_EVENT_RETENTION_HOURS})
 */
public record GatewayOptions(int relayBatch, Duration relayIdle, Duration reaperInterval, Duration sseHeartbeat,
        Duration authCacheTtl, long jsonBodyLimit, Duration startTimeout, Clock clock, Duration metricsInterval,
        Duration pruneInterval) {

    public static GatewayOptions defaults() {
        return new GatewayOptions(200, Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofSeconds(15),
                Duration.ofSeconds(10), 1 << 20, Duration.ofSeconds(30), Clock.systemUTC(), Duration.ofSeconds(5),
                Duration.ofMinutes(10));
    }

    public GatewayOptions withSseHeartbeat(Duration heartbeat) {
        return new GatewayOptions(relayBatch, relayIdle, reaperInterval, heartbeat, authCacheTtl, jsonBodyLimit,
                startTimeout, clock, metricsInterval, pruneInterval);
    }

    public GatewayOptions withReaperInterval(Duration interval) {
        return new GatewayOptions(relayBatch, relayIdle, interval, sseHeartbeat, authCacheTtl, jsonBodyLimit,
                startTimeout, clock, metricsInterval, pruneInterval);
    }

    public GatewayOptions withStartTimeout(Duration timeout) {
        return new GatewayOptions(relayBatch, relayIdle, reaperInterval, sseHeartbeat, authCacheTtl, jsonBodyLimit,
                timeout, clock, metricsInterval, pruneInterval);
    }

    public GatewayOptions withMetricsInterval(Duration interval) {
        return new GatewayOptions(relayBatch, relayIdle, reaperInterval, sseHeartbeat, authCacheTtl, jsonBodyLimit,
                startTimeout, clock, interval, pruneInterval);
    }

    public GatewayOptions withPruneInterval(Duration interval) {
        return new GatewayOptions(relayBatch, relayIdle, reaperInterval, sseHeartbeat, authCacheTtl, jsonBodyLimit,
                startTimeout, clock, metricsInterval, interval);
    }
}
