package dev.unmask.worker;

import dev.unmask.embedded.Directories;
import dev.unmask.embedded.EmbeddedKafka;
import dev.unmask.embedded.EmbeddedPostgres;
import dev.unmask.queue.LeaseReaper;
import dev.unmask.queue.OutboxRelay;
import dev.unmask.shared.config.Settings;
import dev.unmask.shared.job.Topics;
import dev.unmask.shared.store.Database;
import dev.unmask.shared.store.JobStore;
import dev.unmask.shared.store.OutboxStore;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The platform around a worker for one test class: a real PostgreSQL and Kafka (embedded), the
 * migrated database, an artifact directory, and the gateway's queue machinery as the gateway runs
 * it (the outbox relay to Kafka and the lease reaper of {@code unmask-queue}, on a Vert.x).
 */
final class Platform implements BeforeAllCallback, AfterAllCallback {
    EmbeddedPostgres postgres;
    EmbeddedKafka kafka;
    Database db;
    Path artifacts;
    private KafkaProducer<String, String> producer;
    private Vertx vertx;
    private String relayDeployment;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        postgres = EmbeddedPostgres.start(null, 0);
        kafka = EmbeddedKafka.start(null, 0);
        // One generate partition: records published together reach one poll (the batching test relies on it).
        kafka.createTopics(Topics.PARTITIONS);
        db = Database.open(postgres.jdbcUrl(), postgres.username(), postgres.password(), 8, "test");
        artifacts = Files.createTempDirectory("unmask-artifacts");
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(props);
        vertx = Vertx.vertx();
        await(vertx.deployVerticle(new LeaseReaper(new JobStore(db), Duration.ZERO, Duration.ofMillis(100))));
        resumeRelay();
    }

    /** Stops the relay: submitted jobs stay in the outbox until {@link #resumeRelay}. */
    void pauseRelay() throws Exception {
        await(vertx.undeploy(relayDeployment));
    }

    /** Starts a relay, which publishes everything the outbox holds in its first pass. */
    void resumeRelay() throws Exception {
        relayDeployment = await(vertx.deployVerticle(
                OutboxRelay.forKafka(new OutboxStore(db), kafka.bootstrapServers(), 100, Duration.ofMillis(20))));
    }

    private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /** Publishes a record straight to Kafka (a duplicate delivery). */
    void publish(String topic, String key, String value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    Settings settings(String workerId) {
        return Settings.fromEnv(env(workerId));
    }

    /** As {@link #settings(String)}, with a lease of {@code leaseSeconds} (heartbeats every third of it). */
    Settings settings(String workerId, int leaseSeconds) {
        Map<String, String> env = env(workerId);
        env.put("UNMASK_LEASE_SECONDS", Integer.toString(leaseSeconds));
        return Settings.fromEnv(env);
    }

    /** The environment of a worker named {@code workerId} on this platform (for one in another process too). */
    Map<String, String> env(String workerId) {
        Map<String, String> env = new HashMap<>();
        env.put("UNMASK_DB_URL", postgres.jdbcUrl());
        env.put("UNMASK_DB_USER", postgres.username());
        env.put("UNMASK_DB_PASSWORD", postgres.password());
        env.put("UNMASK_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        env.put("UNMASK_ARTIFACTS_DIR", artifacts.toString());
        env.put("UNMASK_LEASE_SECONDS", "3");
        env.put("UNMASK_RETRY_BACKOFF_MS", "100");
        env.put("UNMASK_WORKER_ID", workerId);
        env.put("UNMASK_DEVICE", "cpu");
        return env;
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (vertx != null) {
            await(vertx.close());
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (db != null) {
            db.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (artifacts != null) {
            Directories.deleteRecursively(artifacts); // what the workers wrote: models, checkpoints, datasets
        }
    }
}
