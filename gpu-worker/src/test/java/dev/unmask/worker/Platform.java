package dev.unmask.worker;

import dev.unmask.embedded.EmbeddedKafka;
import dev.unmask.embedded.EmbeddedPostgres;
import dev.unmask.shared.config.Settings;
import dev.unmask.shared.job.Topics;
import dev.unmask.shared.store.Database;
import dev.unmask.shared.store.JobStore;
import dev.unmask.shared.store.OutboxRecord;
import dev.unmask.shared.store.OutboxStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The platform around a worker for one test class: a real PostgreSQL and Kafka (embedded), the
 * migrated database, an artifact directory, and the gateway's two background duties (the outbox
 * relay to Kafka and the lease reaper) running on a thread.
 */
final class Platform implements BeforeAllCallback, AfterAllCallback {
    EmbeddedPostgres postgres;
    EmbeddedKafka kafka;
    Database db;
    Path artifacts;
    private KafkaProducer<String, String> producer;
    private Thread duties;
    private volatile boolean running;
    volatile boolean relayPaused;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        postgres = EmbeddedPostgres.start(null, 0);
        kafka = EmbeddedKafka.start(null, 0);
        // One generate partition: records published together reach one poll (the batching test relies on it).
        kafka.createTopics(Map.of(Topics.TRAIN, 3, Topics.GENERATE, 1, Topics.EVENTS, 1, Topics.DLQ, 1));
        db = Database.open(postgres.jdbcUrl(), postgres.username(), postgres.password(), 8, "test");
        artifacts = Files.createTempDirectory("unmask-artifacts");
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(props);
        running = true;
        OutboxStore outbox = new OutboxStore(db);
        JobStore jobs = new JobStore(db);
        duties = new Thread(() -> {
            while (running) {
                try {
                    if (!relayPaused) {
                        outbox.relay(100, records -> {
                        java.util.List<Future<RecordMetadata>> sent = new java.util.ArrayList<>();
                        for (OutboxRecord r : records) {
                            sent.add(producer.send(new ProducerRecord<>(r.topic(), r.key(), r.payload())));
                        }
                        for (Future<RecordMetadata> f : sent) {
                            f.get();
                        }
                        });
                    }
                    jobs.reapExpiredLeases(100, Duration.ZERO);
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // Kafka or the database is busy; try again on the next round.
                }
            }
        }, "test-relay");
        duties.start();
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
        running = false;
        if (duties != null) {
            duties.join(10_000);
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
    }
}
