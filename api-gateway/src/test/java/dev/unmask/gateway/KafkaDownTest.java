package dev.unmask.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unmask.embedded.Directories;
import dev.unmask.embedded.EmbeddedKafka;
import dev.unmask.embedded.EmbeddedPostgres;
import dev.unmask.gateway.kafka.TopicSetup;
import dev.unmask.shared.config.Settings;
import dev.unmask.shared.job.Topics;
import dev.unmask.shared.json.JsonCodec;
import dev.unmask.shared.store.ApiKeyStore;
import dev.unmask.shared.store.Database;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * With Kafka down a submit is still accepted (the row and its outbox record are committed), the
 * relay keeps the record, readiness says Kafka is down; once Kafka is up the same relay publishes it.
 * Runs on its own database, so that the shared gateway's relay does not publish the record first.
 */
class KafkaDownTest {
    @Test
    void submitWhileKafkaIsDownLosesNothing() throws Exception {
        int kafkaPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            kafkaPort = socket.getLocalPort();
        }
        String bootstrap = "127.0.0.1:" + kafkaPort;
        Path temp = Files.createTempDirectory("unmask-kafka-down-");
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(null, 0)) {
            Settings settings = TestEnv.settings(pg, bootstrap, Files.createDirectories(temp.resolve("a")),
                    Files.createDirectories(temp.resolve("m")));
            try (Database db = Database.open(settings.dbUrl(), settings.dbUser(), settings.dbPassword(), 4, "down");
                    Gateway gateway = Gateway.start(settings, db,
                            GatewayOptions.defaults().withStartTimeout(Duration.ofSeconds(1)))) {
                String secret = ApiKeyStore.newSecret();
                UUID owner = new ApiKeyStore(db).upsert("down", secret);
                UUID dataset = UUID.randomUUID();
                new dev.unmask.shared.store.DatasetStore(db).insert(dataset, owner, "d", "text", 1, 1, "/x");
                Api api = new Api(gateway.port(), secret);

                Api.Reply reply = api.submit(Fixtures.train(dataset, 3), null);
                assertEquals(202, reply.status(), reply.text());
                String job = reply.json().path("id").asText();

                long failures = gateway.relay().failures();
                await().atMost(Duration.ofSeconds(30)).until(() -> gateway.relay().failures() > failures);
                assertEquals(1, outboxRows(db, Topics.TRAIN, job), "the delivery stays in the outbox");
                Api.Reply ready = api.get("/health/ready");
                assertEquals(503, ready.status(), ready.text());
                assertEquals("down", ready.json().path("checks").path("kafka").asText());
                assertEquals("up", ready.json().path("checks").path("postgres").asText());

                try (EmbeddedKafka kafka = EmbeddedKafka.start(null, kafkaPort)) {
                    TopicSetup.ensure(kafka.bootstrapServers(), (short) 1, Duration.ofSeconds(30));
                    try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), Topics.TRAIN)) {
                        var record = reader.awaitKey(job);
                        assertEquals(job, JsonCodec.read(record.value()).path("job_id").asText());
                    }
                    await().atMost(Duration.ofSeconds(30)).until(() -> outboxRows(db, Topics.TRAIN, job) == 0);
                    await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/health/ready").status() == 200);
                }
            }
        } finally {
            Directories.deleteRecursively(temp);
        }
    }

    private static long outboxRows(Database db, String topic, String key) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM outbox WHERE topic = ? AND record_key = ?")) {
            ps.setString(1, topic);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
