package dev.unmask.standalone.drill;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.standalone.client.ApiClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fault drill on the deployment path users run: a PostgreSQL server and a Kafka broker as
 * processes of their own (kept data and log directories), one gateway and three workers as separate
 * JVMs. It submits train and generate jobs through the API while it SIGKILLs workers (each started
 * again), kills the broker with SIGKILL and starts it again on the same log directory, and does
 * the same to PostgreSQL; then it waits for every accepted job to end and reads the truth from the
 * database ({@link DrillAnalysis}). Every process it started is stopped by its handle at the end.
 */
public final class Drill {
    private static final Logger LOG = LoggerFactory.getLogger(Drill.class);
    static final String KEY = "drill-secret-0123456789";
    /**
     * The jobs' lease in the drill: a killed worker's job may run again after it. It is longer than
     * a worker takes to start on a loaded small machine, so the killed worker, started again at
     * once, is there to take work when the lease runs out even when every other worker is busy training.
     */
    public static final Duration LEASE = Duration.ofSeconds(15);
    private static final int WORKERS = 3;
    private static final Duration OUTAGE = Duration.ofSeconds(3);
    /** How long after a fault's recovery is due the next fault may come. */
    private static final Duration SETTLE = Duration.ofSeconds(5);

    /**
     * @param generateJobs generate jobs submitted, spread over {@code duration}
     * @param trainJobs train jobs submitted at the start
     * @param duration how long jobs are submitted and faults injected
     * @param dir where the data, logs and artifacts go
     */
    public record Options(int generateJobs, int trainJobs, Duration duration, Path dir) {}

    private final Options options;
    private final Path logs;
    private final List<DrillAnalysis.Fault> faults = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, ServiceProcess> workers = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<ServiceProcess> started = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> env = new HashMap<>();
    private final Thread cleanup = new Thread(this::stopAll, "drill-cleanup");
    /** Counted down once the second worker kill's rescue is due. */
    private final java.util.concurrent.CountDownLatch workerKillsOver = new java.util.concurrent.CountDownLatch(1);
    private PostgresServer postgres;
    private int http500;
    private int httpOther5xx;

    private Drill(Options options) throws IOException {
        this.options = options;
        this.logs = Files.createDirectories(options.dir().resolve("logs"));
    }

    /** Runs the drill and reports what held. */
    public static DrillReport run(Options options) throws Exception {
        return new Drill(options).execute();
    }

    private DrillReport execute() throws Exception {
        Runtime.getRuntime().addShutdownHook(cleanup); // an interrupted drill leaves no process behind
        PostgresServer postgres = PostgresServer.start(options.dir().resolve("pg"), freePort(), logs);
        this.postgres = postgres;
        int kafkaPort = freePort();
        Path kafkaDir = options.dir().resolve("kafka");
        try {
            ServiceProcess kafka = startKafka(kafkaDir, kafkaPort);
            int port = freePort();
            env.put("UNMASK_DB_URL", postgres.jdbcUrl());
            env.put("UNMASK_DB_USER", postgres.username());
            env.put("UNMASK_DB_PASSWORD", postgres.password());
            env.put("UNMASK_DB_POOL_SIZE", "4");
            env.put("UNMASK_KAFKA_BOOTSTRAP", "127.0.0.1:" + kafkaPort);
            env.put("UNMASK_ARTIFACTS_DIR", Files.createDirectories(options.dir().resolve("artifacts")).toString());
            env.put("UNMASK_API_KEYS", "drill:" + KEY);
            env.put("UNMASK_PORT", Integer.toString(port));
            env.put("UNMASK_LEASE_SECONDS", Long.toString(LEASE.toSeconds()));
            env.put("UNMASK_RETRY_BACKOFF_MS", "200");
            env.put("UNMASK_MAX_ATTEMPTS", "6");
            env.put("UNMASK_DEVICE", "cpu");
            env.put("UNMASK_METRICS_PORT", "0");
            String djlCache = System.getenv("DJL_CACHE_DIR");
            if (djlCache != null) {
                env.put("DJL_CACHE_DIR", djlCache);
            }
            started.add(ServiceProcess.start("gateway", "dev.unmask.gateway.GatewayMain", env, logs));
            for (int i = 1; i <= WORKERS; i++) {
                startWorker("w" + i);
            }
            ApiClient api = new ApiClient("http://127.0.0.1:" + port, KEY);
            await(Duration.ofSeconds(180), () -> api.get("/health/ready").status() == 200);
            String dataset = api.post("/v1/datasets?name=drill", "text/plain", corpus()).body().path("id").asText();
            String model = trainBase(api, dataset);

            List<String> accepted = Collections.synchronizedList(new ArrayList<>());
            // training at the start on all workers but one, so a killed worker's training always finds a free
            // training slot for its rescue; the rest once the worker kills are over (they see the other faults)
            int early = Math.min(options.trainJobs(), WORKERS - 1);
            for (int i = 0; i < early; i++) {
                accepted.add(submit(api, trainJob(dataset, i)));
            }
            int trainSubmitted = early;
            Instant start = Instant.now();
            Thread faulter = new Thread(() -> injectFaults(start, postgres, kafkaDir, kafkaPort, kafka), "drill-faults");
            faulter.start();
            long spacing = options.duration().toMillis() / Math.max(1, options.generateJobs());
            for (int i = 0; i < options.generateJobs(); i++) {
                accepted.add(submit(api, "{\"type\":\"generate\",\"model\":\"" + model + "\",\"prompt\":\"the cat\","
                        + "\"max_tokens\":8,\"steps\":4,\"seed\":" + i + "}"));
                if (workerKillsOver.getCount() == 0) {
                    for (; trainSubmitted < options.trainJobs(); trainSubmitted++) {
                        accepted.add(submit(api, trainJob(dataset, trainSubmitted)));
                    }
                }
                Thread.sleep(spacing);
            }
            faulter.join();
            for (; trainSubmitted < options.trainJobs(); trainSubmitted++) {
                accepted.add(submit(api, trainJob(dataset, trainSubmitted)));
            }
            Duration drain = Duration.ofSeconds(240);
            awaitQuietly(drain, () -> terminal(api, accepted));
            Instant end = Instant.now();
            try (DrillAnalysis analysis = DrillAnalysis.open(postgres.jdbcUrl(), postgres.username(),
                    postgres.password())) {
                return analysis.report(accepted, List.copyOf(faults), start, end, http500, httpOther5xx, LEASE);
            }
        } finally {
            stopAll();
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
    }

    /** Every process this drill started, stopped by its handle (SIGTERM, then SIGKILL). */
    private synchronized void stopAll() {
        List<AutoCloseable> all;
        synchronized (started) {
            all = new ArrayList<>(started);
        }
        all.addAll(workers.values());
        all.add(postgres);
        for (AutoCloseable p : all) {
            try {
                if (p != null) {
                    p.close();
                }
            } catch (Exception e) {
                LOG.warn("stopping a drill process: {}", e.toString());
            }
        }
    }

    /**
     * Two worker kills, a broker kill, a PostgreSQL kill, at 15, 50, 65 and 85% of the submission
     * window, but never while the previous fault is still being recovered from: a worker kill's jobs
     * run again within the lease plus {@link #SETTLE}, and the broker's consumers are back within
     * {@link #SETTLE} of its restart. Faults that overlap would measure their sum (a killed worker's
     * training rescued while the broker is down waits for both), not how each one is survived.
     */
    private void injectFaults(Instant start, PostgresServer postgres, Path kafkaDir, int kafkaPort,
            ServiceProcess firstKafka) {
        ServiceProcess kafka = firstKafka;
        long total = options.duration().toMillis();
        try {
            sleepUntil(start.plusMillis(total * 15 / 100));
            String first = busiestWorker();
            Instant settled = killWorker(first, "worker_kill").plus(LEASE).plus(SETTLE);
            sleepUntil(latest(start.plusMillis(total * 50 / 100), settled));
            settled = killWorker(List.of("w1", "w2", "w3").stream().filter(w -> !w.equals(first))
                    .skip(ThreadLocalRandom.current().nextInt(2)).findFirst().orElseThrow(), "worker_kill")
                    .plus(LEASE).plus(SETTLE);
            sleepUntil(settled);
            workerKillsOver.countDown();
            sleepUntil(latest(start.plusMillis(total * 65 / 100), settled));
            Instant at = Instant.now();
            kafka.kill();
            Thread.sleep(OUTAGE.toMillis());
            kafka = startKafka(kafkaDir, kafkaPort);
            Instant recovered = Instant.now();
            faults.add(new DrillAnalysis.Fault("broker_kill", at, recovered, List.of()));
            sleepUntil(latest(start.plusMillis(total * 85 / 100), recovered.plus(SETTLE)));
            at = Instant.now();
            postgres.kill();
            Thread.sleep(OUTAGE.toMillis());
            postgres.restart();
            faults.add(new DrillAnalysis.Fault("postgres_kill", at, Instant.now(), List.of()));
        } catch (Exception e) {
            LOG.error("fault injection failed", e);
        }
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static String trainJob(String dataset, int seed) {
        return "{\"type\":\"train\",\"model\":\"preset:tiny\",\"dataset\":\"" + dataset
                + "\",\"hyperparameters\":{\"steps\":80,\"batch_size\":4,\"seq_len\":32,\"vocab_size\":300,"
                + "\"checkpoint_every\":10,\"eval_samples\":0,\"seed\":" + seed + "}}";
    }

    /** SIGKILLs a worker and starts it again; returns when it was killed. */
    private Instant killWorker(String name, String kind) throws Exception {
        List<UUID> running = runningOn(name);
        Instant at = Instant.now();
        workers.get(name).kill();
        faults.add(new DrillAnalysis.Fault(kind, at, at, running));
        LOG.info("drill: SIGKILL {} (running {})", name, running);
        startWorker(name);
        return at;
    }

    private String busiestWorker() {
        for (String name : List.of("w1", "w2", "w3")) {
            if (!runningOn(name).isEmpty()) {
                return name;
            }
        }
        return "w1";
    }

    private List<UUID> runningOn(String worker) {
        try (DrillAnalysis analysis = DrillAnalysis.open(env.get("UNMASK_DB_URL"), env.get("UNMASK_DB_USER"),
                env.get("UNMASK_DB_PASSWORD"))) {
            return analysis.runningOn(worker);
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private void startWorker(String name) throws IOException {
        Map<String, String> workerEnv = new HashMap<>(env);
        workerEnv.put("UNMASK_WORKER_ID", name);
        workers.put(name, ServiceProcess.start(name, "dev.unmask.worker.WorkerMain", workerEnv, logs));
    }

    private ServiceProcess startKafka(Path dir, int port) throws Exception {
        ServiceProcess kafka = ServiceProcess.start("kafka", "dev.unmask.embedded.KafkaMain", Map.of(), logs,
                dir.toString(), Integer.toString(port));
        started.add(kafka);
        await(Duration.ofSeconds(90), () -> accepts(port));
        return kafka;
    }

    private String trainBase(ApiClient api, String dataset) throws Exception {
        String id = submit(api, "{\"type\":\"train\",\"model\":\"preset:tiny\",\"dataset\":\"" + dataset
                + "\",\"hyperparameters\":{\"steps\":8,\"batch_size\":4,\"seq_len\":32,\"vocab_size\":300,"
                + "\"checkpoint_every\":0,\"eval_samples\":0}}");
        await(Duration.ofSeconds(240), () -> terminal(api, List.of(id)));
        JsonNode job = api.get("/v1/jobs/" + id).body();
        if (!"succeeded".equals(job.path("status").asText())) {
            throw new IllegalStateException("the drill's base model did not train: " + job);
        }
        return job.path("result").path("model").asText();
    }

    /** Submits until accepted (503 while PostgreSQL is down; the idempotency key keeps it one job). */
    private String submit(ApiClient api, String body) throws Exception {
        String key = UUID.randomUUID().toString();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            try {
                ApiClient.Reply reply = api.submit(body, key);
                if (reply.status() == 200 || reply.status() == 202) {
                    return reply.body().path("id").asText();
                }
                count(reply.status());
            } catch (IOException e) {
                // the gateway did not answer: retry
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("a submission was not accepted within 120 s");
            }
            Thread.sleep(250);
        }
    }

    private synchronized void count(int status) {
        if (status == 500) {
            http500++;
        } else if (status >= 500 && status != 503) {
            httpOther5xx++;
        }
    }

    private boolean terminal(ApiClient api, List<String> ids) throws Exception {
        for (String id : List.copyOf(ids)) {
            ApiClient.Reply reply = api.get("/v1/jobs/" + id);
            count(reply.status());
            String status = reply.body() == null ? "" : reply.body().path("status").asText();
            if (!status.equals("succeeded") && !status.equals("failed") && !status.equals("cancelled")) {
                return false;
            }
        }
        return true;
    }

    /** A small corpus of simple sentences: enough for a tiny model to train on in seconds. */
    public static String corpus() {
        StringBuilder out = new StringBuilder();
        String[] who = {"the cat", "a dog", "my friend", "the teacher"};
        String[] what = {"a red ball", "the old house", "a small boat", "the green tree"};
        for (int i = 0; i < 300; i++) {
            out.append(who[i % 4]).append(" saw ").append(what[(i / 4) % 4]).append(" today.\n");
        }
        return out.toString();
    }

    interface Check {
        boolean holds() throws Exception;
    }

    private static void await(Duration limit, Check check) throws Exception {
        if (!awaitQuietly(limit, check)) {
            throw new IllegalStateException("the drill waited " + limit.toSeconds() + " s in vain");
        }
    }

    private static boolean awaitQuietly(Duration limit, Check check) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (check.holds()) {
                    return true;
                }
            } catch (Exception e) {
                // not yet: a process is starting, or down by design
            }
            Thread.sleep(250);
        }
        return false;
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleepUntil(Instant at) throws InterruptedException {
        long millis = Duration.between(Instant.now(), at).toMillis();
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
