package dev.unmask.diffusion.bench;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.diffusion.model.Presets;
import dev.unmask.diffusion.util.LoadAverage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Unmask's forward benchmark and the reference's ({@code torch_cpu_bench.py forward}) on the same
 * preset and shapes, alternately: round r runs {@link ForwardBenchmark} (its matmul and the model
 * over every batch size), then the reference in its own process (its three matmul rates and every
 * variant). Per batch: both sides' tokens/s and GFLOP/s (the same FLOP count), the ratio to the
 * reference's fastest variant, and each side's fraction of the round's best matmul rate.
 */
public final class ForwardCompare {
    /** What to compare. */
    public record Settings(String preset, int vocab, int seq, List<Integer> batches, int rounds, int innerRounds,
            int warmup, int threads) {}

    /** One batch size in one round. */
    public record Round(int round, int batch, double unmaskTokensPerSecond, double unmaskGflopsPerSecond,
            String referenceVariant, double referenceTokensPerSecond, double referenceGflopsPerSecond, double ratio,
            MatmulRates matmul, String bestMatmul, double unmaskFractionOfBestMatmul,
            double referenceFractionOfBestMatmul, double loadAverage) {}

    private ForwardCompare() {}

    public static List<Round> run(Settings s, ReferenceProcess reference, Consumer<Round> onRound) {
        reference.require();
        List<Round> all = new ArrayList<>();
        for (int r = 1; r <= s.rounds(); r++) {
            ForwardBenchmark.Result ours = ForwardBenchmark.run(new ForwardBenchmark.Settings(
                    Presets.roberta(s.preset(), s.vocab()), s.seq(), s.batches(), s.warmup(), s.innerRounds(),
                    Device.cpu(), DataType.FLOAT32));
            List<JsonNode> lines = reference.run(arguments(s));
            MatmulRates matmul = MatmulRates.of(ours.matmulShape(), ours.matmulGflopsPerSecond(), lines);
            double load = LoadAverage.oneMinute();
            for (ForwardBenchmark.BatchResult u : ours.batches()) {
                JsonNode ref = fastest(lines, u.batch());
                double best = matmul.bestGflopsPerSecond();
                double refGflops = ref.path("gflops_per_s").asDouble();
                Round round = new Round(r, u.batch(), u.tokensPerSecond(), u.achievedGflopsPerSecond(),
                        ref.path("variant").asText(), ref.path("tokens_per_s").asDouble(), refGflops,
                        u.tokensPerSecond() / ref.path("tokens_per_s").asDouble(), matmul, matmul.best(),
                        u.achievedGflopsPerSecond() / best, refGflops / best, load);
                all.add(round);
                onRound.accept(round);
            }
        }
        return all;
    }

    public static List<RatioSummary> summarise(List<Round> rounds) {
        return RatioSummary.of(rounds, r -> "batch " + r.batch(), Round::unmaskTokensPerSecond,
                Round::referenceTokensPerSecond, Round::unmaskFractionOfBestMatmul,
                Round::referenceFractionOfBestMatmul);
    }

    static List<String> arguments(Settings s) {
        return List.of("forward", "--preset", s.preset(), "--vocab", String.valueOf(s.vocab()),
                "--seq", String.valueOf(s.seq()),
                "--batch", s.batches().stream().map(String::valueOf).collect(Collectors.joining(",")),
                "--rounds", String.valueOf(s.innerRounds()), "--warmup", String.valueOf(s.warmup()),
                "--threads", String.valueOf(s.threads()));
    }

    /** The reference's fastest forward variant at {@code batch}. */
    static JsonNode fastest(List<JsonNode> lines, int batch) {
        return ReferenceProcess.bench(lines, "forward").stream()
                .filter(n -> n.path("batch").asInt() == batch)
                .max((a, b) -> Double.compare(a.path("tokens_per_s").asDouble(), b.path("tokens_per_s").asDouble()))
                .orElseThrow(() -> new ReferenceProcess.UnavailableException(
                        "the reference printed no forward result for batch " + batch));
    }
}
