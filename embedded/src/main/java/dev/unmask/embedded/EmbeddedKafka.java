package dev.unmask.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka 4 cluster running inside this JVM: one KRaft process that is both
 * broker and controller ({@code process.roles=broker,controller}), as {@code kafka-server-start}
 * would run it, with no ZooKeeper and no child process.
 *
 * <p>The broker listens on {@code PLAINTEXT://127.0.0.1:PORT} ({@link #bootstrapServers()}); the
 * controller quorum (one static voter, node id {@value #NODE_ID}) on a second free loopback port
 * chosen at each start. The settings suit one node: every internal topic (consumer offsets,
 * transaction state, share-group state) has replication factor 1 and min ISR 1, consumer groups
 * rebalance without the initial delay, topics are never created implicitly (use
 * {@link #createTopics(Map)}) and {@code num.partitions} defaults to 1.
 *
 * <p>Two modes, chosen by the log directory given to {@link #start(Path, int)}:
 * <ul>
 *   <li>{@code null}: a temporary directory, deleted by {@link #close()};</li>
 *   <li>a path: the metadata log and the topic data live there; it is formatted
 *       ({@code kafka-storage format}) only when it holds no {@code meta.properties} yet, so a
 *       restart on the same directory keeps topics, records and committed offsets.</li>
 * </ul>
 *
 * <p>Kafka logs through SLF4J and is chatty at INFO: hosts should set {@code org.apache.kafka}
 * and {@code kafka} to WARN in whatever backend they use. A fatal fault inside the broker or
 * controller makes Kafka halt the JVM, as the standalone broker would.
 *
 * <p>Instances are thread-safe; {@link #close()} is idempotent.
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** The node id of the single broker+controller. */
    public static final int NODE_ID = 1;

    private static final String HOST = "127.0.0.1";
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String META_PROPERTIES = "meta.properties";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final KafkaRaftServer server;
    private final Path logDir;
    private final boolean temporary;
    private final int port;
    private boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, Path logDir, boolean temporary, int port) {
        this.server = server;
        this.logDir = logDir;
        this.temporary = temporary;
        this.port = port;
    }

    /**
     * Starts the node and waits until the broker is registered, unfenced and answers clients.
     *
     * @param logDir where Kafka keeps its metadata log and topic data, kept after
     *     {@link #close()}; formatted on first use. {@code null}: a temporary directory deleted at
     *     close.
     * @param port the broker's TCP port on 127.0.0.1; {@code 0} picks a free one (see
     *     {@link #port()})
     * @return the running node
     * @throws IOException when the directory cannot be prepared or the node does not come up in
     *     time
     */
    public static EmbeddedKafka start(Path logDir, int port) throws IOException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        long t0 = System.nanoTime();
        boolean temporary = logDir == null;
        Path dir = temporary ? Files.createTempDirectory("unmask-kafka-") : logDir.toAbsolutePath();
        KafkaRaftServer server = null;
        try {
            Files.createDirectories(dir);
            int brokerPort = port != 0 ? port : freePort();
            int controllerPort = freePort();
            Map<String, Object> props = serverProperties(dir, brokerPort, controllerPort);
            boolean formatted = Files.exists(dir.resolve(META_PROPERTIES));
            if (!formatted) {
                format(dir);
            }
            server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
            server.startup();
            EmbeddedKafka kafka = new EmbeddedKafka(server, dir, temporary, brokerPort);
            kafka.awaitBrokerReady();
            LOG.info("Kafka on {} ({} log dir {}{}) started in {} ms", kafka.bootstrapServers(),
                    temporary ? "temporary" : "kept", dir, formatted ? "" : ", formatted",
                    (System.nanoTime() - t0) / 1_000_000);
            return kafka;
        } catch (IOException | RuntimeException e) {
            stopQuietly(server);
            if (temporary) {
                deleteQuietly(dir);
            }
            throw e;
        }
    }

    /** The broker+controller configuration: single node, loopback only, small internal topics. */
    private static Map<String, Object> serverProperties(Path dir, int brokerPort,
            int controllerPort) {
        Map<String, Object> p = new HashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort);
        p.put("listener.security.protocol.map",
                BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        p.put("log.dirs", dir.toString());
        p.put("metadata.log.dir", dir.toString());

        // One node: every replication factor and min ISR is 1.
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        // Few partitions for the internal topics: they are created on first use, and 50 of them
        // (the default) take seconds on a small machine for no gain on one node.
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.num.partitions", "5");

        // Share groups fail over in seconds: a member that died releases the records it had acquired
        // when its session (2.5 s) or their acquisition lock (1 s) runs out, not after 45 s / 30 s.
        p.put("group.share.min.session.timeout.ms", "2000");
        p.put("group.share.session.timeout.ms", "2500");
        p.put("group.share.min.heartbeat.interval.ms", "500");
        p.put("group.share.heartbeat.interval.ms", "800");
        p.put("group.share.min.record.lock.duration.ms", "1000");
        p.put("group.share.record.lock.duration.ms", "1000");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "1");
        // The log cleaner's dedupe buffer defaults to 128 MiB of heap.
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
        p.put("server.max.startup.time.ms", Long.toString(STARTUP_TIMEOUT.toMillis()));
        return p;
    }

    /** {@code kafka-storage format} for a fresh directory: new cluster id, static quorum. */
    private static void format(Path dir) throws IOException {
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(dir.toString()))
                    .setMetadataLogDirectory(dir.toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .run();
        } catch (Exception e) {
            throw new IOException("formatting Kafka log directory " + dir, e);
        }
    }

    /** Polls the broker through the admin API until it reports itself in the cluster. */
    private void awaitBrokerReady() throws IOException {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        Exception last = null;
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for Kafka to start", e);
        }
        throw new IOException("Kafka on " + bootstrapServers() + " not ready after "
                + STARTUP_TIMEOUT.toSeconds() + " s", last);
    }

    /** @return {@code 127.0.0.1:PORT}, for {@code bootstrap.servers} */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    /** @return the broker's port on 127.0.0.1 */
    public int port() {
        return port;
    }

    /** @return the log directory (a temporary one is gone after {@link #close()}) */
    public Path logDirectory() {
        return logDir;
    }

    /**
     * Creates the topics that do not exist yet, each with its number of partitions and
     * replication factor 1, and waits until every partition of every named topic has a leader.
     * Existing topics are left as they are (their partition count is not changed).
     *
     * @param partitionsByTopic topic name to partition count (at least 1)
     * @throws IllegalStateException when the broker refuses or does not answer in time
     */
    public void createTopics(Map<String, Integer> partitionsByTopic) {
        if (partitionsByTopic.isEmpty()) {
            return;
        }
        List<NewTopic> topics = new ArrayList<>();
        partitionsByTopic.forEach((name, partitions) -> {
            if (partitions == null || partitions < 1) {
                throw new IllegalArgumentException("partitions for " + name + ": " + partitions);
            }
            topics.add(new NewTopic(name, Optional.of(partitions), Optional.of((short) 1)));
        });
        try (Admin admin = admin()) {
            for (Map.Entry<String, KafkaFuture<Void>> created
                    : admin.createTopics(topics).values().entrySet()) {
                try {
                    created.getValue().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("creating topic " + created.getKey(),
                                e.getCause());
                    }
                }
            }
            awaitLeaders(admin, partitionsByTopic.keySet());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer in time", e);
        }
    }

    /** Polls topic metadata until every partition of {@code names} has a leader. */
    private static void awaitLeaders(Admin admin, Set<String> names)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        while (true) {
            try {
                Map<String, TopicDescription> described = admin.describeTopics(names)
                        .allTopicNames().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                boolean allLed = described.values().stream()
                        .flatMap(d -> d.partitions().stream())
                        .map(TopicPartitionInfo::leader)
                        .allMatch(leader -> leader != null && !leader.isEmpty());
                if (allLed) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("describing topics " + names, e.getCause());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("partitions of " + names + " without leader after "
                        + ADMIN_TIMEOUT.toSeconds() + " s");
            }
            Thread.sleep(20);
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, "unmask-embedded-kafka-admin",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000"));
    }

    /**
     * Shuts the node down cleanly (the broker first, then the controller; logs are flushed and
     * closed) and waits for its threads to end; a temporary log directory is then deleted.
     * Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long t0 = System.nanoTime();
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            if (temporary) {
                deleteQuietly(logDir);
            }
        }
        LOG.info("Kafka on {} stopped in {} ms", bootstrapServers(),
                (System.nanoTime() - t0) / 1_000_000);
    }

    private static void stopQuietly(KafkaRaftServer server) {
        if (server == null) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Stopping Kafka after a failed start: {}", e.toString());
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            Directories.deleteRecursively(dir);
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", dir, e.toString());
        }
    }

    /** A port on 127.0.0.1 that was free a moment ago (closed again before Kafka binds it). */
    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedKafka[" + bootstrapServers() + ", " + (temporary ? "temporary " : "")
                + logDir + "]";
    }
}
