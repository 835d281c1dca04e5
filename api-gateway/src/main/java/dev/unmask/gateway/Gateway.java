package dev.unmask.gateway;

import dev.unmask.gateway.events.EventHub;
import dev.unmask.gateway.http.ApiVerticle;
import dev.unmask.gateway.http.Services;
import dev.unmask.gateway.kafka.KafkaProbe;
import dev.unmask.gateway.metrics.GatewayMetrics;
import dev.unmask.queue.EventFanout;
import dev.unmask.queue.EventPruner;
import dev.unmask.queue.LeaseReaper;
import dev.unmask.queue.StrandedJobs;
import dev.unmask.queue.OutboxRelay;
import dev.unmask.shared.artifact.ArtifactStore;
import dev.unmask.shared.config.Settings;
import dev.unmask.shared.store.ApiKeyStore;
import dev.unmask.shared.store.Database;
import dev.unmask.shared.store.EventStore;
import dev.unmask.shared.store.JobStore;
import dev.unmask.shared.store.OutboxStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running gateway: the HTTP API, the outbox relay, the lease reaper, the event pruner, the
 * event fan-out and the metrics, over a database the caller opened (and closes). The HTTP server
 * and the queue machinery are verticles of one Vert.x: {@link #close()} closing it stops them all.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final Vertx vertx;
    private final ApiVerticle api;
    private final OutboxRelay relay;
    private final LeaseReaper reaper;
    private final EventHub hub;
    private final GatewayMetrics metrics;

    private Gateway(Vertx vertx, ApiVerticle api, OutboxRelay relay, LeaseReaper reaper,
            EventHub hub, GatewayMetrics metrics) {
        this.vertx = vertx;
        this.api = api;
        this.relay = relay;
        this.reaper = reaper;
        this.hub = hub;
        this.metrics = metrics;
    }

    /** The SSE heartbeat, at most half the idle timeout: an event stream is never idle long enough to be closed. */
    static Duration sseHeartbeat(GatewayOptions options, Settings settings) {
        Duration half = settings.http().idle().dividedBy(2);
        return options.sseHeartbeat().compareTo(half) < 0 ? options.sseHeartbeat() : half;
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
        EventFanout fanout = new EventFanout(settings.kafkaBootstrap(), hub, metrics.jobs()::record);
        OutboxRelay relay = OutboxRelay.forKafka(new OutboxStore(db), settings.kafkaBootstrap(), options.relayBatch(),
                options.relayIdle());
        // a job whose worker died is published again at once: the job did nothing wrong, its attempts still count
        LeaseReaper reaper = new LeaseReaper(new JobStore(db), Duration.ZERO, options.reaperInterval());
        KafkaProbe probe = new KafkaProbe(settings.kafkaBootstrap());
        Vertx vertx = Vertx.vertx();
        Services services = new Services(settings, db, artifacts, hub, probe, settings.dbPoolSize(),
                sseHeartbeat(options, settings), options.authCacheTtl(), options.jsonBodyLimit(), options.clock(), metrics,
                relay::wake);
        ApiVerticle api = new ApiVerticle(services, settings.port());
        Gateway gateway = new Gateway(vertx, api, relay, reaper, hub, metrics);
        List<Deployable> duties = new ArrayList<>(List.of(new ClosedOnUndeploy(List.of(probe, metrics)), fanout,
                relay, reaper, new StrandedJobs(new JobStore(db), settings.redeliverAfter())));
        if (!settings.eventRetention().isZero()) {
            duties.add(new EventPruner(new EventStore(db), settings.eventRetention(), options.pruneInterval()));
        }
        long timeoutMs = options.startTimeout().toMillis();
        try {
            for (Deployable duty : duties) {
                vertx.deployVerticle(duty).toCompletionStage().toCompletableFuture()
                        .get(timeoutMs, TimeUnit.MILLISECONDS);
            }
            vertx.deployVerticle(api).toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
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

    /**
     * Closes its Vert.x, which undeploys the HTTP server, the queue machinery (fan-out, relay,
     * reaper, pruner, stranded-job check: verticles) and {@link ClosedOnUndeploy}, which closes the
     * Kafka probe and the metrics.
     */
    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Vert.x did not close cleanly", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
