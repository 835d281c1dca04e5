package dev.unmask.standalone.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.embedded.Directories;
import dev.unmask.embedded.EmbeddedPostgres;
import dev.unmask.shared.store.OutboxStore;
import dev.unmask.standalone.Standalone;
import dev.unmask.standalone.StandaloneOptions;
import dev.unmask.standalone.client.ApiClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code ./unmask bench api}: the job API under a bounded loopback load ({@link LoopbackHttp}, one
 * keep-alive connection per client thread), on a standalone system
 * started for the purpose (embedded PostgreSQL and Kafka in this JVM, as on a laptop).
 *
 * <ol>
 *   <li>{@code POST /v1/jobs} throughput and latency: {@code --requests} train submissions by
 *       {@code --concurrency} clients, no worker running (the gateway alone is measured);</li>
 *   <li>{@code GET /v1/jobs/{id}} likewise, on the submitted jobs;</li>
 *   <li>submit-to-start latency on an idle worker: generate jobs submitted one at a time to a
 *       second system with one worker ({@code started_at - created_at} from the job).</li>
 * </ol>
 */
public final class ApiBenchmark {
    private static final String KEY = "bench-secret-0123456789";

    private static final String USAGE = """
            Usage: ./unmask bench api [--requests N] [--warmup W] [--warmup-rounds R] [--concurrency C] [--starts S]
                                 [--statements] [--db-ceiling]
            The job API under a bounded loopback load, on a standalone system started for the purpose
            (embedded PostgreSQL and Kafka in this JVM). Prints one line per measurement.
              --requests N      POST /v1/jobs submissions, then as many GET /v1/jobs/{id} (default 2000)
              --warmup W        unmeasured rounds of W submissions and W reads first, repeated until a
                                round spends under 2% of its time compiling (the JIT has settled) or
                                --warmup-rounds ran (default 3000; 0: measure a cold gateway)
              --warmup-rounds R at most R warm-up rounds (default 12)
              --concurrency C   concurrent clients (default 16)
              --starts S        generate jobs submitted one at a time to an idle worker, for
                                submit-to-start latency (default 20)
              --statements      after the POST phase, PostgreSQL's costliest statements in it
                                (pg_stat_statements: calls, rows, execution time)
              --db-ceiling      then the database alone on the same server: the submit statement from
                                C threads without HTTP, and one-row commits (synchronous_commit on, off)
              -h, --help        this text
            """;

    private ApiBenchmark() {}

    public static void main(String[] args) throws Exception {
        int requests = 2000;
        int warmup = 3000;
        int warmupRounds = 12;
        boolean dbCeiling = false;
        boolean statementsWanted = false;
        int concurrency = 16;
        int starts = 20;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--db-ceiling")) {
                dbCeiling = true;
                continue;
            }
            if (option.equals("--statements")) {
                statementsWanted = true;
                continue;
            }
            if (option.equals("--help") || option.equals("-h")) {
                System.out.print(USAGE);
                return;
            }
            if (i + 1 >= args.length) {
                System.err.print("bench api: " + option + " needs a value\n" + USAGE);
                System.exit(2);
            }
            String value = args[++i];
            try {
                switch (option) {
                    case "--requests" -> requests = BenchApi.positive(option, value);
                    case "--warmup" -> warmup = value.equals("0") ? 0 : BenchApi.positive(option, value);
                    case "--warmup-rounds" -> warmupRounds = BenchApi.positive(option, value);
                    case "--concurrency" -> concurrency = BenchApi.positive(option, value);
                    case "--starts" -> starts = BenchApi.positive(option, value);
                    default -> throw new IllegalArgumentException("unknown option " + option);
                }
            } catch (IllegalArgumentException e) {
                System.err.print("bench api: " + e.getMessage() + "\n" + USAGE);
                System.exit(2);
            }
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("UNMASK_API_KEYS", "bench:" + KEY);
        System.out.printf(Locale.ROOT, "bench api: %d requests after %d unmeasured, %d concurrent clients, %d cores, "
                + "load average %.2f%n", requests, warmup, concurrency, Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

        if (statementsWanted) {
            System.setProperty(EmbeddedPostgres.STATEMENTS_PROPERTY, "true");
        }
        Path gatewayOnly = Files.createTempDirectory("unmask-bench-api");
        try (Standalone system = Standalone.start(new StandaloneOptions(0, gatewayOnly, 0), env)) {
            ApiClient api = new ApiClient("http://127.0.0.1:" + system.port(), KEY);
            String dataset = BenchApi.uploadDataset(api);
            String body = "{\"type\":\"train\",\"model\":\"preset:tiny\",\"dataset\":\"" + dataset
                    + "\",\"hyperparameters\":{\"steps\":10}}";
            byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
            int port = system.port();
            ThreadLocal<LoopbackHttp> connection = ThreadLocal.withInitial(() -> {
                try {
                    return new LoopbackHttp(port, KEY);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            List<String> ids = new ArrayList<>();
            Call submit = i -> {
                LoopbackHttp.Reply r = connection.get().post("/v1/jobs", "application/json", bodyBytes);
                BenchApi.expect(r.status(), 202, r.body());
                String id = jobId(r.body());
                synchronized (ids) {
                    ids.add(id);
                }
            };
            Call read = i -> {
                String id;
                synchronized (ids) {
                    id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
                }
                LoopbackHttp.Reply r = connection.get().get("/v1/jobs/" + id);
                BenchApi.expect(r.status(), 200, r.body());
            };
            CpuMeter cpu = new CpuMeter(gatewayOnly.resolve("postgres"));
            if (warmup > 0) {
                warmUp(warmup, warmupRounds, concurrency, submit, read);
            }
            CpuMeter.Snapshot before = cpu.start();
            PgStatements statements = statementsWanted ? new PgStatements(system.database()) : null;
            if (statements != null) {
                statements.reset();
            }
            OutboxStore outbox = new OutboxStore(system.database());
            long pendingBefore = outbox.pending();
            Load posts = load(requests, concurrency, submit);
            report("POST /v1/jobs", posts);
            published(outbox, pendingBefore, requests, posts);
            System.out.println(before.report(requests));
            if (statements != null) {
                statements.print(12);
            }
            before = cpu.start();
            report("GET /v1/jobs/{id}", load(requests, concurrency, read));
            System.out.println(before.report(requests));
            if (dbCeiling) {
                DbCeiling.run(system.database(), KEY, body, requests, concurrency, cpu);
            }
        } finally {
            Directories.deleteRecursively(gatewayOnly); // its PostgreSQL and Kafka data: about 1 GB a run
        }

        Path withWorker = Files.createTempDirectory("unmask-bench-start");
        try (Standalone system = Standalone.start(new StandaloneOptions(0, withWorker, 1), env)) {
            ApiClient api = new ApiClient("http://127.0.0.1:" + system.port(), KEY);
            String dataset = BenchApi.uploadDataset(api);
            String model = BenchApi.tinyModel(api, dataset);
            double[] startMs = new double[starts];
            double[] totalMs = new double[starts];
            for (int i = 0; i < starts; i++) {
                String id = BenchApi.submit(api, "{\"type\":\"generate\",\"model\":\"" + model
                        + "\",\"prompt\":\"the cat\",\"max_tokens\":8,\"steps\":2,\"seed\":" + i + "}");
                JsonNode job = BenchApi.awaitDone(api, id, Duration.ofMinutes(5));
                Instant created = Instant.parse(job.path("created_at").asText());
                startMs[i] = Duration.between(created, Instant.parse(job.path("started_at").asText())).toNanos() / 1e6;
                totalMs[i] = Duration.between(created, Instant.parse(job.path("finished_at").asText())).toNanos() / 1e6;
            }
            System.out.println("submit-to-start (idle worker): " + Percentiles.of(startMs));
            System.out.println("submit-to-finish (8-token generate, 2 steps): " + Percentiles.of(totalMs));
        } finally {
            Directories.deleteRecursively(withWorker);
        }
    }

    /**
     * Rounds of submissions and reads until one spends under 2% of its wall time in the JIT
     * compilers, or {@code maxRounds} ran: one line per round, so the settling is visible.
     */
    static void warmUp(int perRound, int maxRounds, int concurrency, Call submit, Call read) throws Exception {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        for (int round = 1; round <= maxRounds; round++) {
            long jit0 = jit.getTotalCompilationTime();
            Load posts = load(perRound, concurrency, submit);
            Load gets = load(perRound, concurrency, read);
            double seconds = posts.seconds() + gets.seconds();
            double share = (jit.getTotalCompilationTime() - jit0) / 1000.0 / seconds;
            System.out.printf(Locale.ROOT, "warm-up %d: POST %.0f req/s, GET %.0f req/s, %.1f%% of the time compiling%n",
                    round, perRound / posts.seconds(), perRound / gets.seconds(), share * 100);
            if (share < 0.02) {
                return;
            }
        }
    }

    /**
     * Waits until the relay has published what the phase wrote (the outbox back to where it was),
     * and prints the rate of jobs accepted <em>and</em> published: a gateway that answers fast while
     * its relay falls behind has only postponed work.
     */
    static void published(OutboxStore outbox, long pendingBefore, int requests, Load posts) throws InterruptedException {
        long t0 = System.nanoTime();
        long pending = outbox.pending();
        long atEnd = pending;
        long countNanos = 0;
        while (pending > pendingBefore && System.nanoTime() - t0 < 120_000_000_000L) {
            // a count reads the whole outbox, dead rows included (31 ms a count in a backlog): at most a
            // fifth of a core, so that waiting does not slow down what it waits for
            Thread.sleep(Math.max(50, 4 * countNanos / 1_000_000));
            long c0 = System.nanoTime();
            pending = outbox.pending();
            countNanos = System.nanoTime() - c0;
        }
        double drain = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "  accepted and published: %.0f jobs/s (%d outbox rows waiting when the last "
                + "reply came, published %.2f s later%s)%n", requests / (posts.seconds() + drain), atEnd - pendingBefore,
                drain, pending > pendingBefore ? "; " + (pending - pendingBefore) + " still waiting after 120 s" : "");
    }

    /** The job id of a 202 reply: the first field of the gateway's job JSON. */
    static String jobId(String json) {
        int at = json.indexOf("\"id\":\"");
        if (at < 0) {
            throw new IllegalStateException("no job id in " + json);
        }
        int from = at + 6;
        return json.substring(from, json.indexOf('"', from));
    }

    interface Call {
        void run(int i) throws Exception;
    }

    record Load(double seconds, double[] latencyMs) {}

    /** The load's threads, kept for the whole run, so CpuMeter counts their CPU as the client's. */
    private static final Map<Integer, ExecutorService> CLIENTS = new HashMap<>();

    private static synchronized ExecutorService clients(int concurrency) {
        return CLIENTS.computeIfAbsent(concurrency, n -> {
            AtomicInteger threads = new AtomicInteger();
            return Executors.newFixedThreadPool(n, r -> {
                Thread t = new Thread(r, "bench-client-" + threads.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        });
    }

    static Load load(int requests, int concurrency, Call call) throws Exception {
        double[] latency = new double[requests];
        ExecutorService pool = clients(concurrency);
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            int n = i;
            futures.add(pool.submit(() -> {
                long t0 = System.nanoTime();
                call.run(n);
                latency[n] = (System.nanoTime() - t0) / 1e6;
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        return new Load((System.nanoTime() - start) / 1e9, latency);
    }

    static void report(String what, Load load) {
        System.out.printf(Locale.ROOT, "%-20s %8.0f req/s   %s   (load average %.2f)%n", what,
                load.latencyMs().length / load.seconds(), Percentiles.of(load.latencyMs()),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
