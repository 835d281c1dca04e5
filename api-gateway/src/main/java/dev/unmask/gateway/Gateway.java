package dev.unmask.gateway;

import dev.unmask.gateway.events.EventHub;
import dev.unmask.gateway.http.ApiVerticle;
import dev.unmask.gateway.http.Services;
import dev.unmask.gateway.jobs.EventPruner;
import dev.unmask.gateway.jobs.LeaseReaper;
import dev.unmask.gateway.kafka.EventFanout;
import dev.unmask.gateway.kafka.KafkaProbe;
import dev.unmask.gateway.kafka.OutboxRelay;
import dev.unmask.gateway.metrics.GatewayMetrics;
import dev.unmask.shared.artifact.ArtifactStore;
import dev.unmask.shared.config.Settings;
import dev.unmask.shared.store.ApiKeyStore;
import dev.unmask.shared.store.Database;
import dev.unmask.shared.store.EventStore;
import dev.unmask.shared.store.JobStore;
import dev.unmask.shared.store.OutboxStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running gateway: the HTTP API, the outbox relay, the lease reaper, the event pruner, the
 * event fan-out and the metrics, over a database the caller opened (and closes).
 * {@link #close()} stops them in reverse order.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final Vertx vertx;
    private final ApiVerticle api;
    private final OutboxRelay relay;
    private final LeaseReaper reaper;
    private final EventFanout fanout;
    private final KafkaProbe probe;
    private final EventHub hub;
    private final GatewayMetrics metrics;

    private Gateway(Vertx vertx, ApiVerticle api, OutboxRelay relay, LeaseReaper reaper, EventFanout fanout,
            KafkaProbe probe, EventHub hub, GatewayMetrics metrics) {
        this.vertx = vertx;
        this.api = api;
        this.relay = relay;
        this.reaper = reaper;
        this.fanout = fanout;
        this.probe = probe;
        this.hub = hub;
        this.metrics = metrics;
    }

    /**
     * Seeds the API keys, starts the background tasks and the HTTP server, and waits (up to
     * {@code options.startTimeout()}) for the server to listen and the event consumer to be positioned.
     * Kafka being down does not stop the start: the relay keeps the outbox until it is back.
     */
    public static Gateway start(Settings settings, Database db, GatewayOptions options) {
        ApiKeySeed.seed(new ApiKeyStore(db), settings.apiKeys());
        ArtifactStore artifacts = new ArtifactStore(settings.artifactsDir());
        EventHub hub = new EventHub();
        GatewayMetrics metrics = GatewayMetrics.start(new JobStore(db), settings.kafkaBootstrap(), settings.lease(),
                options.metricsInterval());
        EventFanout fanout = new EventFanout(settings.kafkaBootstrap(), hub, metrics.jobs()::record).start();
        OutboxRelay relay = OutboxRelay.forKafka(new OutboxStore(db), settings.kafkaBootstrap(), options.relayBatch(),
                options.relayIdle()).start();
        LeaseReaper reaper = new LeaseReaper(new JobStore(db), settings.retryBackoff()).start(options.reaperInterval());
        KafkaProbe probe = new KafkaProbe(settings.kafkaBootstrap());
        Vertx vertx = Vertx.vertx();
        Services services = new Services(settings, db, artifacts, hub, probe, settings.dbPoolSize(),
                options.sseHeartbeat(), options.authCacheTtl(), options.jsonBodyLimit(), options.clock(), metrics,
                relay::wake);
        ApiVerticle api = new ApiVerticle(services, settings.port());
        Gateway gateway = new Gateway(vertx, api, relay, reaper, fanout, probe, hub, metrics);
        long timeoutMs = options.startTimeout().toMillis();
        try {
            vertx.deployVerticle(api).toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
            if (!settings.eventRetention().isZero()) {
                vertx.deployVerticle(new EventPruner(new EventStore(db), settings.eventRetention(),
                        options.pruneInterval())).toCompletionStage().toCompletableFuture()
                        .get(timeoutMs, TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            gateway.close();
            throw new IllegalStateException("the gateway HTTP server did not start on port " + settings.port(), e);
        } catch (InterruptedException e) {
            gateway.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        }
        try {
            fanout.positioned().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("event consumer not positioned yet (is Kafka down?); live SSE events start once it is");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("gateway listening on port {}", api.actualPort());
        return gateway;
    }

    public int port() {
        return api.actualPort();
    }

    public Vertx vertx() {
        return vertx;
    }

    public OutboxRelay relay() {
        return relay;
    }

    /** The live events of this gateway's SSE streams. */
    public EventHub events() {
        return hub;
    }

    public LeaseReaper reaper() {
        return reaper;
    }

    /** This process's meter registry (served at {@code /metrics}); the standalone server's workers add theirs. */
    public MeterRegistry metrics() {
        return metrics.registry();
    }

    /** The router of the HTTP API (its routes are what {@code /openapi.json} documents). */
    public io.vertx.ext.web.Router router() {
        return api.router();
    }

    /** Stops the HTTP server first (no new jobs), then the background tasks. */
    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Vert.x did not close cleanly", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reaper.close();
        relay.close();
        fanout.close();
        probe.close();
        metrics.close();
    }
}
