package dev.unmask.diffusion.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.diffusion.run.TextGenerator;
import dev.unmask.diffusion.sample.GenerationConfig;
import dev.unmask.diffusion.util.LoadAverage;
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
            String prompt, int promptLength, int threads, Path python, Path script, double warmupSeconds) {}

    /** One batch size in one round. */
    public record Round(int round, int batch, double unmaskTokensPerSecond, double unmaskSecondsPerStep,
            String referenceVariant, double referenceTokensPerSecond, double referenceSecondsPerStep, double ratio,
            double loadAverage) {}

    /** Medians over the rounds, per batch size. */
    public record Summary(int batch, int rounds, double unmaskTokensPerSecond, double referenceTokensPerSecond,
            double medianRatio, double minRatio, double maxRatio) {}

    private CompareBenchmark() {}

    public static List<Round> run(TextGenerator generator, Settings s, GenerationConfig config,
            Consumer<Round> onRound) {
        ReferenceProcess reference = new ReferenceProcess(s.python(), s.script());
        reference.require();
        List<Round> all = new ArrayList<>();
        for (int r = 1; r <= s.rounds(); r++) {
            List<GenerateBenchmark.Result> ours = GenerateBenchmark.run(generator, s.batches(), s.maxTokens(), config,
                    s.innerRounds(), s.prompt(), r == 1 ? s.warmupSeconds() : 0); // later rounds: one call each
            Map<Integer, JsonNode> best = fastestPerBatch(reference.run(arguments(s)));
            double load = LoadAverage.oneMinute();
            for (GenerateBenchmark.Result u : ours) {
                JsonNode ref = best.get(u.batch());
                if (ref == null) {
                    throw new ReferenceProcess.UnavailableException(
                            "the reference printed no result for batch " + u.batch());
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

    /** The reference's arguments for the same shape. */
    static List<String> arguments(Settings s) {
        return List.of("generate", "--model", s.model().toAbsolutePath().toString(),
                "--batch", s.batches().stream().map(String::valueOf).collect(Collectors.joining(",")),
                "--prompt-len", String.valueOf(s.promptLength()), "--max-tokens", String.valueOf(s.maxTokens()),
                "--steps", String.valueOf(s.steps()), "--rounds", String.valueOf(s.innerRounds()),
                "--threads", String.valueOf(s.threads()));
    }

    /** The reference's generate lines, best tokens/s per batch size; other lines ignored. */
    static Map<Integer, JsonNode> fastestPerBatch(List<JsonNode> lines) {
        Map<Integer, JsonNode> best = new LinkedHashMap<>();
        for (JsonNode node : ReferenceProcess.bench(lines, "generate")) {
            int batch = node.get("batch").asInt();
            JsonNode seen = best.get(batch);
            if (seen == null || node.get("tokens_per_s").asDouble() > seen.get("tokens_per_s").asDouble()) {
                best.put(batch, node);
            }
        }
        return best;
    }
}
