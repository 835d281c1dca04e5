package dev.unmask.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {

    private static final String TOPIC = "jobs";
    private static final String GROUP = "workers";
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    void producesConsumesCommitsAndKeepsEverythingAcrossARestart(@TempDir Path tmp)
            throws Exception {
        Path logDir = tmp.resolve("kafka");
        long t0 = System.nanoTime();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(logDir, 0)) {
            Timings.print("kafka start (new kept dir, format)", t0);
            long t1 = System.nanoTime();
            kafka.createTopics(Map.of(TOPIC, 3));
            Timings.print("kafka create topic (3 partitions)", t1);
            kafka.createTopics(Map.of(TOPIC, 3, "other", 1)); // idempotent for existing topics
            assertEquals(3, partitions(kafka, TOPIC));

            try (KafkaProducer<String, String> producer = producer(kafka)) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>(TOPIC, "key-" + i, "value-" + i))
                            .get(30, TimeUnit.SECONDS);
                }
            }
            long t2 = System.nanoTime();
            try (KafkaConsumer<String, String> consumer = consumer(kafka)) {
                consumer.subscribe(List.of(TOPIC));
                Set<String> values = new TreeSet<>();
                long deadline = System.nanoTime() + DEADLINE.toNanos();
                while (values.size() < 10) {
                    if (System.nanoTime() > deadline) {
                        fail("consumed only " + values);
                    }
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        values.add(r.value());
                    }
                }
                consumer.commitSync();
                Timings.print("kafka consume 10 records (group join + fetch)", t2);
                assertEquals(10, values.size());
                assertEquals(Set.of(0, 1, 2), consumer.assignment().stream()
                        .map(TopicPartition::partition).collect(Collectors.toSet()));
            }
            assertEquals(10, committedTotal(kafka));
        }
        assertTrue(Files.exists(logDir.resolve("meta.properties")), "kept log dir survives close");

        long t3 = System.nanoTime();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(logDir, 0)) {
            Timings.print("kafka restart (existing dir)", t3);
            assertEquals(3, partitions(kafka, TOPIC));
            assertEquals(10, committedTotal(kafka), "committed offsets survive a restart");
            assertEquals(10, endOffsetTotal(kafka), "records survive a restart");
        }
    }

    @Test
    void closeFreesThePortDeletesTheTemporaryDirectoryAndStopsItsThreads() throws Exception {
        Set<Thread> before = nonDaemonThreads();
        long t0 = System.nanoTime();
        int port;
        Path dir;
        EmbeddedKafka kafka = EmbeddedKafka.start(null, 0);
        try {
            Timings.print("kafka start (temporary dir)", t0);
            port = kafka.port();
            dir = kafka.logDirectory();
            assertEquals("127.0.0.1:" + port, kafka.bootstrapServers());
            kafka.createTopics(Map.of(TOPIC, 1));
        } finally {
            long t1 = System.nanoTime();
            kafka.close();
            Timings.print("kafka stop", t1);
        }
        kafka.close(); // idempotent
        assertFalse(Files.exists(dir), "temporary log directory deleted at close");
        awaitNoNewNonDaemonThreads(before);

        long t2 = System.nanoTime();
        try (EmbeddedKafka again = EmbeddedKafka.start(null, port)) {
            Timings.print("kafka start (temporary dir, same port again)", t2);
            assertEquals(port, again.port());
            again.createTopics(Map.of(TOPIC, 2));
            assertEquals(2, partitions(again, TOPIC), "a fresh temporary cluster");
        }
    }

    private static Set<Thread> nonDaemonThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.isDaemon())
                .collect(Collectors.toSet());
    }

    private static void awaitNoNewNonDaemonThreads(Set<Thread> before) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            List<String> lingering = new ArrayList<>();
            for (Thread t : nonDaemonThreads()) {
                if (!before.contains(t)) {
                    lingering.add(t.getName());
                }
            }
            if (lingering.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("non-daemon threads still running after close: " + lingering);
            }
            Thread.sleep(20);
        }
    }

    private static int partitions(EmbeddedKafka kafka, String topic) throws Exception {
        try (Admin admin = admin(kafka)) {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(topic);
            return d.partitions().size();
        }
    }

    private static long committedTotal(EmbeddedKafka kafka) throws Exception {
        try (Admin admin = admin(kafka)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            return offsets.entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(TOPIC))
                    .mapToLong(e -> e.getValue().offset())
                    .sum();
        }
    }

    private static long endOffsetTotal(EmbeddedKafka kafka) throws Exception {
        try (Admin admin = admin(kafka)) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < 3; p++) {
                latest.put(new TopicPartition(TOPIC, p), OffsetSpec.latest());
            }
            return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
                    .mapToLong(info -> info.offset())
                    .sum();
        }
    }

    private static Admin admin(EmbeddedKafka kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers()));
    }

    private static KafkaProducer<String, String> producer(EmbeddedKafka kafka) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(EmbeddedKafka kafka) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, GROUP,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer());
    }
}
