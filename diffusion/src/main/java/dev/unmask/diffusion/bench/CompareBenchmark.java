package dev.unmask.diffusion.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.diffusion.run.TextGenerator;
import dev.unmask.diffusion.sample.GenerationConfig;
import dev.unmask.diffusion.util.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Unmask's generate benchmark and the plain-PyTorch reference ({@code torch_cpu_bench.py generate},
 * see {@code shared/bench/README.md}) on the same model folder and shape, alternately: round r runs
 * Unmask, then the reference in its own process; each side takes the median of its own inner
 * rounds. Per batch, the ratio is Unmask's tokens/s over the best reference variant's in that round.
 */
public final class CompareBenchmark {
    /** What to compare. {@code promptLength} counts the canvas's prompt tokens, start token included. */
    public record Settings(Path model, List<Integer> batches, int maxTokens, int steps, int rounds, int innerRounds,
            String prompt, int promptLength, int threads, Path python, Path script) {}

    /** One batch size in one round. */
    public record Round(int round, int batch, double unmaskTokensPerSecond, double unmaskSecondsPerStep,
            String referenceVariant, double referenceTokensPerSecond, double referenceSecondsPerStep, double ratio,
            double loadAverage) {}

    /** Medians over the rounds, per batch size. */
    public record Summary(int batch, int rounds, double unmaskTokensPerSecond, double referenceTokensPerSecond,
            double medianRatio, double minRatio, double maxRatio) {}

    /** The reference could not run: no interpreter, no script, or no torch. */
    public static final class ReferenceUnavailableException extends RuntimeException {
        ReferenceUnavailableException(String message) {
            super(message);
        }
    }

    private CompareBenchmark() {}

    /** Checks that the interpreter and the script exist, before anything is timed. */
    public static void requireReference(Path python, Path script) {
        if (!Files.isExecutable(python)) {
            throw new ReferenceUnavailableException(python + " is not an executable: the reference needs Debian's "
                    + "python3 with torch (apt-get install -y python3-torch libopenblas0-openmp), or pass --python");
        }
        if (!Files.isRegularFile(script)) {
            throw new ReferenceUnavailableException("the reference script " + script + " does not exist: pass "
                    + "--reference DIR, the folder holding torch_cpu_bench.py and torch_ref.py");
        }
    }

    public static List<Round> run(TextGenerator generator, Settings s, GenerationConfig config,
            Consumer<Round> onRound) {
        requireReference(s.python(), s.script());
        List<Round> all = new ArrayList<>();
        for (int r = 1; r <= s.rounds(); r++) {
            List<GenerateBenchmark.Result> ours = GenerateBenchmark.run(generator, s.batches(), s.maxTokens(), config,
                    s.innerRounds(), s.prompt());
            Map<Integer, JsonNode> best = reference(s);
            double load = loadAverage();
            for (GenerateBenchmark.Result u : ours) {
                JsonNode ref = best.get(u.batch());
                if (ref == null) {
                    throw new ReferenceUnavailableException("the reference printed no result for batch " + u.batch());
                }
                double refTps = ref.get("tokens_per_s").asDouble();
                Round round = new Round(r, u.batch(), u.tokensPerSecond(), u.secondsPerStep(),
                        ref.get("variant").asText(), refTps, ref.get("s_per_step").asDouble(),
                        u.tokensPerSecond() / refTps, load);
                all.add(round);
                onRound.accept(round);
            }
        }
        return all;
    }

    public static List<Summary> summarise(List<Round> rounds) {
        Map<Integer, List<Round>> byBatch = rounds.stream()
                .collect(Collectors.groupingBy(Round::batch, LinkedHashMap::new, Collectors.toList()));
        List<Summary> out = new ArrayList<>();
        byBatch.forEach((batch, rs) -> {
            List<Double> ratios = rs.stream().map(Round::ratio).toList();
            out.add(new Summary(batch, rs.size(),
                    Stats.median(rs.stream().map(Round::unmaskTokensPerSecond).toList()),
                    Stats.median(rs.stream().map(Round::referenceTokensPerSecond).toList()),
                    Stats.median(ratios),
                    ratios.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                    ratios.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN)));
        });
        return out;
    }

    /** One reference process: per batch size, the line of its fastest variant. */
    static Map<Integer, JsonNode> reference(Settings s) {
        List<String> command = new ArrayList<>(List.of(s.python().toString(), s.script().toString(), "generate",
                "--model", s.model().toAbsolutePath().toString(),
                "--batch", s.batches().stream().map(String::valueOf).collect(Collectors.joining(",")),
                "--prompt-len", String.valueOf(s.promptLength()), "--max-tokens", String.valueOf(s.maxTokens()),
                "--steps", String.valueOf(s.steps()), "--rounds", String.valueOf(s.innerRounds()),
                "--threads", String.valueOf(s.threads())));
        List<String> lines = new ArrayList<>();
        int exit;
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            }
            exit = p.waitFor();
        } catch (IOException e) {
            throw new ReferenceUnavailableException("could not start " + String.join(" ", command) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReferenceUnavailableException("interrupted while the reference ran");
        }
        if (exit != 0) {
            String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
            String hint = tail.contains("No module named 'torch'")
                    ? " (" + s.python() + " has no torch: apt-get install -y python3-torch libopenblas0-openmp)" : "";
            throw new ReferenceUnavailableException("the reference exited with " + exit + hint + ":\n" + tail);
        }
        return fastestPerBatch(lines);
    }

    /** The reference's generate lines, best tokens/s per batch size; other lines ignored. */
    static Map<Integer, JsonNode> fastestPerBatch(List<String> lines) {
        Map<Integer, JsonNode> best = new LinkedHashMap<>();
        for (String line : lines) {
            if (!line.startsWith("{")) {
                continue;
            }
            JsonNode node;
            try {
                node = Json.MAPPER.readTree(line);
            } catch (IOException e) {
                continue;
            }
            if (!"generate".equals(node.path("bench").asText())) {
                continue;
            }
            int batch = node.get("batch").asInt();
            JsonNode seen = best.get(batch);
            if (seen == null || node.get("tokens_per_s").asDouble() > seen.get("tokens_per_s").asDouble()) {
                best.put(batch, node);
            }
        }
        return best;
    }

    /** The 1-minute load average (NaN where /proc is missing), so a noisy round can be told apart. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
