package dev.unmask.gateway;

import dev.unmask.embedded.Directories;
import dev.unmask.embedded.EmbeddedKafka;
import dev.unmask.embedded.EmbeddedPostgres;
import dev.unmask.gateway.kafka.TopicSetup;
import dev.unmask.shared.config.Settings;
import dev.unmask.shared.store.ApiKeyStore;
import dev.unmask.shared.store.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One real PostgreSQL, one real Kafka (topics created by {@link TopicSetup}) and one gateway on a
 * free port, shared by every test class of the JVM and stopped at its exit. Tests isolate
 * themselves with fresh API keys ({@link #newKey()}).
 */
public final class TestEnv {
    public static final long MAX_DATASET_BYTES = 64 * 1024;
    private static TestEnv instance;

    public final EmbeddedPostgres postgres;
    public final EmbeddedKafka kafka;
    public final Database db;
    public final Path artifacts;
    public final Path modelRoot;
    public final Settings settings;
    public final Gateway gateway;

    /** An API key made for one test: its secret and its id (the owner of what it creates). */
    public record Key(String secret, UUID owner) {}

    private final Path temp; // artifacts and models, deleted at close

    private TestEnv() throws Exception {
        postgres = EmbeddedPostgres.start(null, 0);
        kafka = EmbeddedKafka.start(null, 0);
        TopicSetup.ensure(kafka.bootstrapServers(), (short) 1, Duration.ofSeconds(30));
        temp = Files.createTempDirectory("unmask-gateway-test-");
        artifacts = Files.createDirectories(temp.resolve("artifacts"));
        modelRoot = Files.createDirectories(temp.resolve("models"));
        settings = settings(postgres, kafka.bootstrapServers(), artifacts, modelRoot);
        db = Database.open(settings.dbUrl(), settings.dbUser(), settings.dbPassword(), settings.dbPoolSize(), "test");
        gateway = Gateway.start(settings, db, GatewayOptions.defaults().withSseHeartbeat(Duration.ofMillis(200))
                .withMetricsInterval(Duration.ofMillis(300)));
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "test-env-close"));
    }

    public static synchronized TestEnv get() {
        if (instance == null) {
            try {
                instance = new TestEnv();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (Exception e) {
                throw new IllegalStateException("test environment did not start", e);
            }
        }
        return instance;
    }

    static Settings settings(EmbeddedPostgres pg, String kafkaBootstrap, Path artifacts, Path modelRoot) {
        return Settings.fromEnv(envOf(pg, kafkaBootstrap, artifacts, modelRoot));
    }

    private static Map<String, String> envOf(EmbeddedPostgres pg, String kafkaBootstrap, Path artifacts, Path modelRoot) {
        Map<String, String> env = new HashMap<>();
        env.put(Settings.DB_URL.name(), pg.jdbcUrl());
        env.put(Settings.DB_USER.name(), pg.username());
        env.put(Settings.DB_PASSWORD.name(), pg.password());
        env.put(Settings.DB_POOL.name(), "6");
        env.put(Settings.KAFKA.name(), kafkaBootstrap);
        env.put(Settings.ARTIFACTS.name(), artifacts.toString());
        env.put(Settings.MODEL_ROOTS.name(), modelRoot.toString());
        env.put(Settings.PORT.name(), "0");
        env.put(Settings.API_KEYS.name(), "seeded:seeded-secret-1");
        env.put(Settings.MAX_DATASET.name(), Long.toString(MAX_DATASET_BYTES));
        return env;
    }

    /**
     * A second gateway on this environment's PostgreSQL and Kafka, with {@code overrides} of the
     * settings (HTTP timeouts, say); the caller closes it.
     */
    public Gateway gatewayWith(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(envOf(postgres, kafka.bootstrapServers(), artifacts, modelRoot));
        env.putAll(overrides);
        return Gateway.start(Settings.fromEnv(env), db, GatewayOptions.defaults().withSseHeartbeat(Duration.ofMillis(200)));
    }

    /** A fresh API key. */
    public Key newKey() {
        String secret = ApiKeyStore.newSecret();
        UUID owner = new ApiKeyStore(db).upsert("test-" + UUID.randomUUID(), secret);
        return new Key(secret, owner);
    }

    public Api api(Key key) {
        return new Api(gateway.port(), key == null ? null : key.secret());
    }

    private void close() {
        gateway.close();
        db.close();
        kafka.close();
        postgres.close();
        try {
            Directories.deleteRecursively(temp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
