package dev.unmask.standalone.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.standalone.Standalone;
import dev.unmask.standalone.StandaloneOptions;
import dev.unmask.standalone.client.ApiClient;
import java.lang.management.ManagementFactory;
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
 * {@code ./unmask bench api}: the job API under a bounded loopback load, on a standalone system
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
            Usage: ./unmask bench api [--requests N] [--warmup W] [--concurrency C] [--starts S] [--db-ceiling]
            The job API under a bounded loopback load, on a standalone system started for the purpose
            (embedded PostgreSQL and Kafka in this JVM). Prints one line per measurement.
              --requests N      POST /v1/jobs submissions, then as many GET /v1/jobs/{id} (default 2000)
              --warmup W        submissions (then as many reads) sent first and not measured, so the
                                JIT has compiled the request path (default 3000; 0: measure a cold gateway)
              --concurrency C   concurrent clients (default 16)
              --starts S        generate jobs submitted one at a time to an idle worker, for
                                submit-to-start latency (default 20)
              --db-ceiling      then the database alone on the same server: the submit statement from
                                C threads without HTTP, and one-row commits (synchronous_commit on, off)
              -h, --help        this text
            """;

    private ApiBenchmark() {}

    public static void main(String[] args) throws Exception {
        int requests = 2000;
        int warmup = 3000;
        boolean dbCeiling = false;
        int concurrency = 16;
        int starts = 20;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--db-ceiling")) {
                dbCeiling = true;
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

        Path gatewayOnly = Files.createTempDirectory("unmask-bench-api");
        try (Standalone system = Standalone.start(new StandaloneOptions(0, gatewayOnly, 0), env)) {
            ApiClient api = new ApiClient("http://127.0.0.1:" + system.port(), KEY);
            String dataset = BenchApi.uploadDataset(api);
            String body = "{\"type\":\"train\",\"model\":\"preset:tiny\",\"dataset\":\"" + dataset
                    + "\",\"hyperparameters\":{\"steps\":10}}";
            List<String> ids = new ArrayList<>();
            Call submit = i -> {
                ApiClient.Reply r = api.post("/v1/jobs", "application/json", body);
                BenchApi.expect(r, 202);
                synchronized (ids) {
                    ids.add(r.body().path("id").asText());
                }
            };
            Call read = i -> {
                String id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
                BenchApi.expect(api.get("/v1/jobs/" + id), 200);
            };
            CpuMeter cpu = new CpuMeter(gatewayOnly.resolve("postgres"));
            if (warmup > 0) {
                load(warmup, concurrency, submit);
                load(warmup, concurrency, read);
            }
            CpuMeter.Snapshot before = cpu.start();
            report("POST /v1/jobs", load(requests, concurrency, submit));
            System.out.println(before.report(requests));
            before = cpu.start();
            report("GET /v1/jobs/{id}", load(requests, concurrency, read));
            System.out.println(before.report(requests));
            if (dbCeiling) {
                DbCeiling.run(system.database(), KEY, body, requests, concurrency, cpu);
            }
        }

        Path withWorker = Files.createTempDirectory("unmask-bench-start");
        try (Standalone system = Standalone.start(new StandaloneOptions(0, withWorker, 1), env)) {
            ApiClient api = new ApiClient("http://127.0.0.1:" + system.port(), KEY);
            String dataset = BenchApi.uploadDataset(api);
            String model = BenchApi.tinyModel(api, dataset);
            double[] startMs = new double[starts];
            List<java.util.UUID> startIds = new ArrayList<>();
            double[] totalMs = new double[starts];
            for (int i = 0; i < starts; i++) {
                String id = BenchApi.submit(api, "{\"type\":\"generate\",\"model\":\"" + model
                        + "\",\"prompt\":\"the cat\",\"max_tokens\":8,\"steps\":2,\"seed\":" + i + "}");
                startIds.add(java.util.UUID.fromString(id));
                JsonNode job = BenchApi.awaitDone(api, id, Duration.ofMinutes(5));
                Instant created = Instant.parse(job.path("created_at").asText());
                startMs[i] = Duration.between(created, Instant.parse(job.path("started_at").asText())).toNanos() / 1e6;
                totalMs[i] = Duration.between(created, Instant.parse(job.path("finished_at").asText())).toNanos() / 1e6;
            }
            System.out.println("submit-to-start (idle worker): " + Percentiles.of(startMs));
            StartSteps.print(system.database(), startIds);
            System.out.println("submit-to-finish (8-token generate, 2 steps): " + Percentiles.of(totalMs));
        }
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
