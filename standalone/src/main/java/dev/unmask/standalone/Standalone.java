package dev.unmask.standalone;

import dev.unmask.embedded.EmbeddedKafka;
import dev.unmask.embedded.EmbeddedPostgres;
import dev.unmask.gateway.Gateway;
import dev.unmask.gateway.GatewayOptions;
import dev.unmask.shared.config.Settings;
import dev.unmask.shared.job.Topics;
import dev.unmask.shared.store.ApiKeyStore;
import dev.unmask.shared.store.Database;
import dev.unmask.worker.Worker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole system in one process: a real PostgreSQL and a real single-node Kafka (both
 * embedded, data kept under the data directory), the gateway, and N workers. Restarting on the
 * same data directory keeps jobs, models and datasets.
 *
 * <pre>
 * DATA/postgres   DATA/kafka   DATA/artifacts   DATA/api-key (the generated key, mode 600)
 * </pre>
 */
public final class Standalone implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Standalone.class);
    static final String KEY_FILE = "api-key";
    static final String KEY_NAME = "standalone";

    private final EmbeddedPostgres postgres;
    private final EmbeddedKafka kafka;
    private final Database db;
    private final Gateway gateway;
    private final List<Worker> workers;
    private final String apiKey;

    private Standalone(EmbeddedPostgres postgres, EmbeddedKafka kafka, Database db, Gateway gateway,
            List<Worker> workers, String apiKey) {
        this.postgres = postgres;
        this.kafka = kafka;
        this.db = db;
        this.gateway = gateway;
        this.workers = workers;
        this.apiKey = apiKey;
    }

    /**
     * Starts everything. API keys come from {@code UNMASK_API_KEYS} when set (then
     * {@link #apiKey()} is the first one's secret); else one key is generated at the first start
     * and kept in the data directory.
     */
    public static Standalone start(StandaloneOptions options, Map<String, String> environment) throws IOException {
        Path data = options.dataDir();
        Files.createDirectories(data);
        EmbeddedPostgres postgres = null;
        EmbeddedKafka kafka = null;
        Database db = null;
        Gateway gateway = null;
        List<Worker> workers = new ArrayList<>();
        try {
            postgres = EmbeddedPostgres.start(data.resolve("postgres"), 0);
            kafka = EmbeddedKafka.start(data.resolve("kafka"), 0);
            kafka.createTopics(Topics.PARTITIONS);
            Map<String, String> env = new HashMap<>(environment);
            env.put("UNMASK_DB_URL", postgres.jdbcUrl());
            env.put("UNMASK_DB_USER", postgres.username());
            env.put("UNMASK_DB_PASSWORD", postgres.password());
            env.put("UNMASK_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
            env.putIfAbsent("UNMASK_ARTIFACTS_DIR", data.resolve("artifacts").toString());
            env.put("UNMASK_PORT", Integer.toString(options.port()));
            String apiKey = firstSecret(env.getOrDefault("UNMASK_API_KEYS", ""));
            Settings settings = Settings.fromEnv(env);
            db = Database.open(settings.dbUrl(), settings.dbUser(), settings.dbPassword(), settings.dbPoolSize(),
                    "unmask-standalone");
            if (apiKey == null) {
                apiKey = generatedKey(data.resolve(KEY_FILE), new ApiKeyStore(db));
            }
            gateway = Gateway.start(settings, db, GatewayOptions.defaults());
            for (int i = 1; i <= options.workers(); i++) {
                workers.add(Worker.start(settings.withWorkerId("standalone-worker-" + i), db, gateway.metrics()));
            }
            LOG.info("standalone ready on port {} with {} worker(s); data in {}", gateway.port(), workers.size(), data);
            return new Standalone(postgres, kafka, db, gateway, workers, apiKey);
        } catch (IOException | RuntimeException e) {
            workers.forEach(Worker::close);
            if (gateway != null) {
                gateway.close();
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
            throw e;
        }
    }

    private static String firstSecret(String keys) {
        for (String entry : keys.split(",")) {
            int colon = entry.indexOf(':');
            if (colon > 0 && colon < entry.trim().length() - 1) {
                return entry.trim().substring(entry.trim().indexOf(':') + 1);
            }
        }
        return null;
    }

    /** The key kept in the data directory, made (and stored hashed) at the first start. */
    private static String generatedKey(Path file, ApiKeyStore keys) throws IOException {
        if (Files.isRegularFile(file)) {
            String secret = Files.readString(file, StandardCharsets.UTF_8).trim();
            keys.upsert(KEY_NAME, secret);
            return secret;
        }
        String secret = ApiKeyStore.newSecret();
        keys.upsert(KEY_NAME, secret);
        Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the file keeps its default permissions
        }
        LOG.info("generated an API key (kept in {}): {}", file, secret);
        return secret;
    }

    public int port() {
        return gateway.port();
    }

    public String apiKey() {
        return apiKey;
    }

    public List<Worker> workers() {
        return workers;
    }

    public Database database() {
        return db;
    }

    /** Workers first (running jobs are handed back), then the gateway, the database, Kafka, PostgreSQL. */
    @Override
    public void close() {
        workers.forEach(Worker::close);
        gateway.close();
        db.close();
        kafka.close();
        postgres.close();
    }
}
