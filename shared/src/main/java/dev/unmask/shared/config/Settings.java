package dev.unmask.shared.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Typed settings of the gateway and the workers, read from environment variables. Every
 * variable is listed in {@link #ALL} with its default; a bad value names the variable.
 */
public record Settings(
        String dbUrl, String dbUser, String dbPassword, int dbPoolSize,
        String kafkaBootstrap, Path artifactsDir, List<Path> modelRoots,
        int port, String apiKeys, long maxDatasetBytes, int maxAttempts, Duration lease, Duration retryBackoff,
        String workerId, String device, List<String> workerTypes, int generateBatch, int metricsPort,
        Duration eventRetention, HttpTimeouts http, Duration redeliverAfter) {

    /**
     * How long the gateway waits on a client before it closes the connection.
     *
     * @param idle a connection with nothing read or written (an SSE stream writes a comment every heartbeat)
     * @param header the first request's line and headers, from the connection's accept
     * @param body a JSON body, from its headers; a dataset upload must deliver each MiB within this
     */
    public record HttpTimeouts(Duration idle, Duration header, Duration body) {}

    public static final Setting DB_URL = new Setting("UNMASK_DB_URL", "jdbc:postgresql://localhost:5432/unmask",
            "PostgreSQL JDBC URL (the schema is migrated by Flyway at start)");
    public static final Setting DB_USER = new Setting("UNMASK_DB_USER", "unmask", "PostgreSQL user");
    public static final Setting DB_PASSWORD = new Setting("UNMASK_DB_PASSWORD", "", "PostgreSQL password");
    public static final Setting DB_POOL = new Setting("UNMASK_DB_POOL_SIZE", "8", "JDBC connections per process");
    public static final Setting KAFKA = new Setting("UNMASK_KAFKA_BOOTSTRAP", "localhost:9092", "Kafka bootstrap servers");
    public static final Setting ARTIFACTS = new Setting("UNMASK_ARTIFACTS_DIR", "./artifacts",
            "datasets, checkpoints and trained models; the same shared directory on every gateway and worker");
    public static final Setting HF_CACHE = new Setting("UNMASK_HF_CACHE", "",
            "the HF Hub cache workers share for Hub ids (org/name[@revision]) (empty: <UNMASK_ARTIFACTS_DIR>/hf-cache)");
    public static final Setting MODEL_ROOTS = new Setting("UNMASK_MODEL_ROOTS", "",
            "comma-separated folders under which POST /v1/models may register HF folders (empty: none)");
    public static final Setting PORT = new Setting("UNMASK_PORT", "8080", "gateway HTTP port");
    public static final Setting API_KEYS = new Setting("UNMASK_API_KEYS", "",
            "API keys seeded at start, comma-separated name:secret");
    public static final Setting MAX_DATASET = new Setting("UNMASK_MAX_DATASET_BYTES", "268435456",
            "largest dataset upload, bytes");
    public static final Setting MAX_ATTEMPTS = new Setting("UNMASK_MAX_ATTEMPTS", "3",
            "attempts per job before it fails for good (errors that may pass, lost workers)");
    public static final Setting LEASE = new Setting("UNMASK_LEASE_SECONDS", "30",
            "a running job's lease; a worker heartbeats every third of it, the reaper re-queues expired ones");
    public static final Setting BACKOFF = new Setting("UNMASK_RETRY_BACKOFF_MS", "2000",
            "delay before a failed attempt is retried (doubled per attempt)");
    public static final Setting WORKER_ID = new Setting("UNMASK_WORKER_ID", "",
            "this worker's name in jobs.worker_id (empty: host-pid)");
    public static final Setting DEVICE = new Setting("UNMASK_DEVICE", "auto", "worker device: auto, cpu, gpu, gpu:N");
    public static final Setting WORKER_TYPES = new Setting("UNMASK_WORKER_TYPES", "train,generate",
            "job types this worker consumes");
    public static final Setting GENERATE_BATCH = new Setting("UNMASK_GENERATE_BATCH", "8",
            "generate jobs for one model run together in one canvas tensor, at most this many");

    public static final Setting METRICS_PORT = new Setting("UNMASK_METRICS_PORT", "9400",
            "a worker's Prometheus endpoint, GET /metrics on this port (0: none); the gateway serves /metrics on UNMASK_PORT");
    public static final Setting REDELIVER = new Setting("UNMASK_REDELIVER_SECONDS", "60",
            "a job queued this long with no Kafka record on its way (lost, or archived after too many deliveries) is "
                    + "published again");
    public static final Setting EVENT_RETENTION = new Setting("UNMASK_EVENT_RETENTION_HOURS", "168",
            "a job's progress, frame and log events are deleted this many hours after it finished; its status events stay (0: keep all)");
    public static final Setting HTTP_IDLE = new Setting("UNMASK_HTTP_IDLE_SECONDS", "60",
            "the gateway closes a connection idle this long (nothing read or written); SSE streams stay alive with comments");
    public static final Setting HTTP_HEADER = new Setting("UNMASK_HTTP_HEADER_SECONDS", "10",
            "a client must send its request line and headers within this time of connecting (a later request on the "
                    + "same connection: within UNMASK_HTTP_IDLE_SECONDS of the previous response), else the connection is closed");
    public static final Setting HTTP_BODY = new Setting("UNMASK_HTTP_BODY_SECONDS", "30",
            "a JSON body must arrive within this time of its headers, a dataset upload must deliver each MiB within it; "
                    + "else 408 request_timeout");
    /** Read by logback ({@code logback.xml} of the services), not by {@link #fromEnv}. */
    public static final Setting LOG_LEVEL = new Setting("UNMASK_LOG_LEVEL", "info",
            "log level of the service processes (trace, debug, info, warn, error); logs are JSON lines");

    public static final List<Setting> ALL = List.of(DB_URL, DB_USER, DB_PASSWORD, DB_POOL, KAFKA, ARTIFACTS,
            HF_CACHE, MODEL_ROOTS, PORT, API_KEYS, MAX_DATASET, MAX_ATTEMPTS, LEASE, BACKOFF, WORKER_ID, DEVICE, WORKER_TYPES,
            GENERATE_BATCH, METRICS_PORT, EVENT_RETENTION, HTTP_IDLE, HTTP_HEADER, HTTP_BODY, REDELIVER, LOG_LEVEL);

    /** @throws IllegalArgumentException naming the variable of a malformed value */
    public static Settings fromEnv(Map<String, String> env) {
        return new Settings(
                get(env, DB_URL), get(env, DB_USER), get(env, DB_PASSWORD), intValue(env, DB_POOL, 1, 1000),
                get(env, KAFKA), Path.of(get(env, ARTIFACTS)), paths(get(env, MODEL_ROOTS)),
                intValue(env, PORT, 0, 65535), get(env, API_KEYS), longValue(env, MAX_DATASET, 1, Long.MAX_VALUE),
                intValue(env, MAX_ATTEMPTS, 1, 100), Duration.ofSeconds(intValue(env, LEASE, 3, 86_400)),
                Duration.ofMillis(longValue(env, BACKOFF, 0, 3_600_000)), workerId(get(env, WORKER_ID)),
                get(env, DEVICE), list(get(env, WORKER_TYPES)), intValue(env, GENERATE_BATCH, 1, 256),
                intValue(env, METRICS_PORT, 0, 65535), Duration.ofHours(intValue(env, EVENT_RETENTION, 0, 87_600)),
                new HttpTimeouts(seconds(env, HTTP_IDLE), seconds(env, HTTP_HEADER), seconds(env, HTTP_BODY)),
                seconds(env, REDELIVER));
    }

    /** The Hub cache of {@link #HF_CACHE}: the variable, else {@code hf-cache} in the artifact store. */
    public static Path hfCache(Map<String, String> env, Path artifactsDir) {
        String v = get(env, HF_CACHE);
        return v.isEmpty() ? artifactsDir.resolve("hf-cache") : Path.of(v);
    }

    public Settings withPort(int newPort) {
        return new Settings(dbUrl, dbUser, dbPassword, dbPoolSize, kafkaBootstrap, artifactsDir, modelRoots, newPort,
                apiKeys, maxDatasetBytes, maxAttempts, lease, retryBackoff, workerId, device, workerTypes, generateBatch,
                metricsPort, eventRetention, http, redeliverAfter);
    }

    public Settings withWorkerId(String id) {
        return new Settings(dbUrl, dbUser, dbPassword, dbPoolSize, kafkaBootstrap, artifactsDir, modelRoots, port,
                apiKeys, maxDatasetBytes, maxAttempts, lease, retryBackoff, id, device, workerTypes, generateBatch,
                metricsPort, eventRetention, http, redeliverAfter);
    }

    public Settings withMetricsPort(int newPort) {
        return new Settings(dbUrl, dbUser, dbPassword, dbPoolSize, kafkaBootstrap, artifactsDir, modelRoots, port,
                apiKeys, maxDatasetBytes, maxAttempts, lease, retryBackoff, workerId, device, workerTypes, generateBatch,
                newPort, eventRetention, http, redeliverAfter);
    }

    private static Duration seconds(Map<String, String> env, Setting s) {
        return Duration.ofSeconds(intValue(env, s, 1, 86_400));
    }

    private static String get(Map<String, String> env, Setting s) {
        String v = env.get(s.name());
        return v == null || v.isBlank() ? s.defaultValue() : v.trim();
    }

    private static int intValue(Map<String, String> env, Setting s, int min, int max) {
        return Math.toIntExact(longValue(env, s, min, max));
    }

    private static long longValue(Map<String, String> env, Setting s, long min, long max) {
        String v = get(env, s);
        try {
            long value = Long.parseLong(v);
            if (value < min || value > max) {
                throw new IllegalArgumentException(s.name() + " must be in [" + min + ", " + max + "], got " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(s.name() + " must be an integer, got '" + v + "'", e);
        }
    }

    private static List<Path> paths(String value) {
        return list(value).stream().map(p -> Path.of(p).toAbsolutePath().normalize()).toList();
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static String workerId(String configured) {
        if (!configured.isEmpty()) {
            return configured;
        }
        String host = System.getenv().getOrDefault("HOSTNAME", "worker");
        return host + "-" + ProcessHandle.current().pid();
    }
}
