package dev.unmask.gateway;

import dev.unmask.gateway.kafka.TopicSetup;
import dev.unmask.shared.config.Settings;
import dev.unmask.shared.store.Database;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -cp ... dev.unmask.gateway.GatewayMain}: settings from the environment, the
 * database migrated, the topics created, the gateway started; SIGTERM shuts it down cleanly.
 */
public final class GatewayMain {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayMain.class);

    private GatewayMain() {}

    public static void main(String[] args) throws InterruptedException {
        Settings settings = Settings.fromEnv(System.getenv());
        Database db = Database.open(settings.dbUrl(), settings.dbUser(), settings.dbPassword(), settings.dbPoolSize(),
                "unmask-gateway");
        ensureTopics(settings.kafkaBootstrap());
        Gateway gateway;
        try {
            gateway = Gateway.start(settings, db, GatewayOptions.defaults());
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("shutting down");
            gateway.close();
            db.close();
            stopped.countDown();
        }, "unmask-gateway-shutdown"));
        stopped.await();
    }

    /** Creates missing topics; with Kafka down it logs and goes on (the relay keeps the outbox until Kafka is back). */
    static void ensureTopics(String bootstrap) {
        try {
            TopicSetup.ensure(bootstrap, (short) 1, Duration.ofSeconds(30));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.error("could not make sure the Kafka topics exist ({}); create them or restart once Kafka is up",
                    e.getMessage());
        }
    }
}
