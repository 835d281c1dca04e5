package dev.unmask.gateway.http;

import dev.unmask.gateway.events.EventHub;
import dev.unmask.gateway.kafka.KafkaProbe;
import dev.unmask.gateway.metrics.GatewayMetrics;
import dev.unmask.shared.artifact.ArtifactStore;
import dev.unmask.shared.config.Settings;
import dev.unmask.shared.store.Database;
import java.time.Clock;
import java.time.Duration;

/**
 * What the HTTP API needs from the process: settings, the database, the artifact store, the live
 * event hub, the Kafka probe, the metrics, and its tunables.
 *
 * @param jdbcPoolSize threads of the {@code unmask-jdbc} worker pool
 * @param heartbeat SSE heartbeat comment interval
 * @param authCacheTtl how long a successful API key lookup is reused
 * @param jsonBodyLimit the largest JSON request body, bytes
 * @param metrics the meters served at {@code /metrics}
 * @param outboxWritten told after a request committed outbox rows (wakes the relay)
 */
public record Services(Settings settings, Database db, ArtifactStore artifacts, EventHub hub, KafkaProbe kafka,
        int jdbcPoolSize, Duration heartbeat, Duration authCacheTtl, long jsonBodyLimit, Clock clock,
        GatewayMetrics metrics, Runnable outboxWritten) {}
