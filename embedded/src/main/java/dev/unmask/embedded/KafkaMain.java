package dev.unmask.embedded;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A single-node Kafka broker as a process of its own: {@code KafkaMain LOG_DIR PORT}. It keeps its
 * log directory, so a broker killed and started again on the same directory and port comes back
 * with its topics, records and share-group state; SIGTERM stops it cleanly.
 */
public final class KafkaMain {
    private KafkaMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: KafkaMain LOG_DIR PORT");
            System.exit(2);
        }
        EmbeddedKafka kafka = EmbeddedKafka.start(Path.of(args[0]), Integer.parseInt(args[1]));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            stopped.countDown();
        }, "kafka-shutdown"));
        System.out.println("kafka ready on " + kafka.bootstrapServers());
        stopped.await();
    }
}
