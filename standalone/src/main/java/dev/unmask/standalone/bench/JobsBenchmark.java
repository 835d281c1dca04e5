package dev.unmask.standalone.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.embedded.Directories;
import dev.unmask.standalone.Standalone;
import dev.unmask.standalone.StandaloneOptions;
import dev.unmask.standalone.client.ApiClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code ./unmask bench jobs}: what one worker does with generate jobs end to end (submitted through
 * the API, claimed from Kafka, run, every frame and the result written to PostgreSQL), in two
 * workloads: {@code --jobs} small jobs submitted at once (8 tokens, 4 steps: jobs/s, where the
 * database and the queue weigh most) and {@code --batch} larger ones at once (64 tokens, 16 steps:
 * tokens/s). A measurement's time is the job's own record, from the first {@code created_at} to the
 * last {@code finished_at}. With {@code --url} (given twice or more) it measures running systems in
 * turn, round by round, and prints each one's median and the ratio to the first: so two builds can
 * be compared side by side on one machine. Without it, it starts a standalone system with one worker.
 */
public final class JobsBenchmark {
    private static final String KEY = "bench-secret-0123456789";

    private static final String USAGE = """
            Usage: ./unmask bench jobs [--url URL]... [--key KEY] [--rounds R] [--jobs N] [--batch B]
            Generate jobs end to end on one worker: N small jobs at once (8 tokens, 4 steps; jobs/s)
            and B larger jobs at once (64 tokens, 16 steps; tokens/s), timed by the jobs' own
            created_at and finished_at. Prints one JSON line per measurement, then medians.
              --url URL     a running system's API (repeat to compare systems round by round; the
                            ratio is to the first). Default: start a standalone system, one worker
              --key KEY     its API key (default: the key of the system this command starts;
                            start others with UNMASK_API_KEYS=bench:bench-secret-0123456789)
              --rounds R    rounds of both workloads per system (default 5)
              --jobs N      small jobs per measurement (default 16)
              --batch B     larger jobs per measurement (default 8)
              -h, --help    this text
            """;

    private record Workload(String name, int jobs, int maxTokens, int steps) {}

    private record Target(String name, ApiClient api, String model) {}

    private JobsBenchmark() {}

    public static void main(String[] args) throws Exception {
        List<String> urls = new ArrayList<>();
        String key = KEY;
        int rounds = 5;
        int jobs = 16;
        int batch = 8;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                System.out.print(USAGE);
                return;
            }
            if (i + 1 >= args.length) {
                fail(option + " needs a value");
            }
            String value = args[++i];
            try {
                switch (option) {
                    case "--url" -> urls.add(value);
                    case "--key" -> key = value;
                    case "--rounds" -> rounds = BenchApi.positive(option, value);
                    case "--jobs" -> jobs = BenchApi.positive(option, value);
                    case "--batch" -> batch = BenchApi.positive(option, value);
                    default -> fail("unknown option " + option);
                }
            } catch (IllegalArgumentException e) {
                fail(e.getMessage());
            }
        }
        List<Workload> workloads = List.of(new Workload("small", jobs, 8, 4), new Workload("batch", batch, 64, 16));
        if (!urls.isEmpty()) {
            List<Target> targets = new ArrayList<>();
            for (String url : urls) {
                targets.add(target(url, new ApiClient(url, key)));
            }
            run(targets, workloads, rounds);
            return;
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("UNMASK_API_KEYS", "bench:" + KEY);
        Path data = Files.createTempDirectory("unmask-bench-jobs");
        try (Standalone system = Standalone.start(new StandaloneOptions(0, data, 1), env)) {
            String url = "http://127.0.0.1:" + system.port();
            run(List.of(target(url, new ApiClient(url, KEY))), workloads, rounds);
        } finally {
            Directories.deleteRecursively(data);
        }
    }

    private static Target target(String url, ApiClient api) throws Exception {
        String model = BenchApi.tinyModel(api, BenchApi.uploadDataset(api));
        return new Target(url, api, model);
    }

    private static void run(List<Target> targets, List<Workload> workloads, int rounds) throws Exception {
        System.out.printf(Locale.ROOT, "bench jobs: %d system(s), %d rounds, %d cores%n", targets.size(), rounds,
                Runtime.getRuntime().availableProcessors());
        for (Target t : targets) { // warm-up: the worker's first canvas loads the model
            measure(t, workloads.get(0), -1);
        }
        Map<String, List<Double>> perSecond = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (Workload w : workloads) {
                for (Target t : targets) {
                    perSecond.computeIfAbsent(t.name() + " " + w.name(), k -> new ArrayList<>())
                            .add(measure(t, w, round));
                }
            }
        }
        for (Workload w : workloads) {
            String unit = w.name().equals("small") ? "jobs/s" : "tokens/s";
            double first = 0;
            for (int i = 0; i < targets.size(); i++) {
                double median = median(perSecond.get(targets.get(i).name() + " " + w.name()));
                first = i == 0 ? median : first;
                System.out.printf(Locale.ROOT, "%-6s %-40s median %9.1f %s%s%n", w.name(), targets.get(i).name(), median,
                        unit, i == 0 ? "" : String.format(Locale.ROOT, "   ratio to the first %.2f", median / first));
            }
        }
    }

    /** Submits the workload's jobs at once, waits for all; jobs/s (small) or tokens/s (batch). */
    private static double measure(Target t, Workload w, int round) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(w.jobs());
        List<String> ids = new ArrayList<>();
        try {
            List<Future<String>> submits = new ArrayList<>();
            for (int i = 0; i < w.jobs(); i++) {
                String body = "{\"type\":\"generate\",\"model\":\"" + t.model() + "\",\"prompt\":\"the cat\",\"max_tokens\":"
                        + w.maxTokens() + ",\"steps\":" + w.steps() + ",\"seed\":" + i + "}";
                submits.add(pool.submit(() -> BenchApi.submit(t.api(), body)));
            }
            for (Future<String> f : submits) {
                ids.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        Instant first = null;
        Instant last = null;
        for (String id : ids) {
            JsonNode job = BenchApi.awaitDone(t.api(), id, Duration.ofMinutes(5));
            Instant created = Instant.parse(job.path("created_at").asText());
            Instant finished = Instant.parse(job.path("finished_at").asText());
            first = first == null || created.isBefore(first) ? created : first;
            last = last == null || finished.isAfter(last) ? finished : last;
        }
        double seconds = Duration.between(first, last).toNanos() / 1e9;
        double rate = w.name().equals("small") ? w.jobs() / seconds : (double) w.jobs() * w.maxTokens() / seconds;
        if (round >= 0) {
            System.out.printf(Locale.ROOT,
                    "{\"system\":\"%s\",\"workload\":\"%s\",\"round\":%d,\"jobs\":%d,\"max_tokens\":%d,\"steps\":%d,"
                            + "\"seconds\":%.3f,\"%s\":%.1f}%n", t.name(), w.name(), round, w.jobs(), w.maxTokens(),
                    w.steps(), seconds, w.name().equals("small") ? "jobs_per_s" : "tokens_per_s", rate);
        }
        return rate;
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static void fail(String message) {
        System.err.print("bench jobs: " + message + "\n" + USAGE);
        System.exit(2);
    }
}
