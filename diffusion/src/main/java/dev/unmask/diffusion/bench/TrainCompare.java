package dev.unmask.diffusion.bench;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.diffusion.model.EncoderConfig;
import dev.unmask.diffusion.model.Presets;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import dev.unmask.diffusion.util.LoadAverage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Unmask's training benchmark and the reference's ({@code torch_cpu_bench.py train}: the same
 * step, one masking ratio per batch from {1.0, 0.9, ..., 0.1}, head at masked rows, backward,
 * clip, AdamW) on the same presets and shape, alternately. Each round and preset also measures
 * both sides' matmul on the training's own feed-forward shape (batch x seq rows), so the training
 * GFLOP/s of each side is a fraction of the best matmul rate of that round.
 *
 * <p>Training FLOPs are counted as three times the forward's (the backward pass is two products
 * per forward product): the encoder over every position, the head at the expected masked rows
 * (0.55 of the positions: the mean of the ten ratios), the same count for both sides.
 */
public final class TrainCompare {
    /** The expected masked fraction of the ten discrete ratios 0.1 ... 1.0. */
    static final double MASKED_FRACTION = 0.55;

    /** What to compare. */
    public record Settings(List<String> presets, int vocab, int batchSize, int seq, int steps, int warmup,
            int rounds, int threads) {}

    /** One preset in one round. */
    public record Round(int round, String preset, long parameters, double unmaskTokensPerSecond,
            double unmaskGflopsPerSecond, double referenceTokensPerSecond, double referenceGflopsPerSecond,
            double ratio, MatmulRates matmul, String bestMatmul, double unmaskFractionOfBestMatmul,
            double referenceFractionOfBestMatmul, double loadAverage) {}

    private TrainCompare() {}

    public static List<Round> run(Settings s, TextTokenizer tokenizer, ReferenceProcess reference,
            Consumer<Round> onRound) throws IOException {
        reference.require();
        List<Round> all = new ArrayList<>();
        long rows = (long) s.batchSize() * s.seq();
        for (int r = 1; r <= s.rounds(); r++) {
            for (String preset : s.presets()) {
                EncoderConfig c = Presets.roberta(preset, s.vocab());
                double ourMatmul = ForwardBenchmark.matmulRate(c, rows, 1, 3);
                TrainBenchmark.Result ours = TrainBenchmark.run(preset, c, tokenizer, s.batchSize(), s.seq(),
                        s.warmup(), s.steps(), Device.cpu());
                List<JsonNode> lines = new ArrayList<>(reference.run(matmulArguments(s, preset)));
                lines.addAll(reference.run(trainArguments(s, preset)));
                MatmulRates matmul = MatmulRates.of(ForwardBenchmark.matmulShape(c, rows), ourMatmul, lines);
                JsonNode ref = ReferenceProcess.bench(lines, "train").stream()
                        .filter(n -> preset.equals(n.path("preset").asText())).findFirst()
                        .orElseThrow(() -> new ReferenceProcess.UnavailableException(
                                "the reference printed no train result for " + preset));
                double gflop = trainFlops(c, s.batchSize(), s.seq()) / 1e9;
                double ourGflops = gflop / ours.medianStepSeconds();
                double refGflops = gflop / ref.path("median_step_s").asDouble();
                double best = matmul.bestGflopsPerSecond();
                Round round = new Round(r, preset, ours.parameters(), ours.tokensPerSecond(), ourGflops,
                        ref.path("tokens_per_s").asDouble(), refGflops,
                        ours.tokensPerSecond() / ref.path("tokens_per_s").asDouble(), matmul, matmul.best(),
                        ourGflops / best, refGflops / best, LoadAverage.oneMinute());
                all.add(round);
                onRound.accept(round);
            }
        }
        return all;
    }

    public static List<RatioSummary> summarise(List<Round> rounds) {
        return RatioSummary.of(rounds, Round::preset, Round::unmaskTokensPerSecond, Round::referenceTokensPerSecond,
                Round::unmaskFractionOfBestMatmul, Round::referenceFractionOfBestMatmul);
    }

    /** One training step's multiply-adds, times two: three times the forward at the expected masked rows. */
    static double trainFlops(EncoderConfig c, int batch, int seq) {
        return 3 * (ForwardBenchmark.encoderFlops(c, batch, seq)
                + ForwardBenchmark.headFlops(c, MASKED_FRACTION * batch * seq));
    }

    /** The reference's forward benchmark at the training shape, one variant: for its matmul rates. */
    static List<String> matmulArguments(Settings s, String preset) {
        return List.of("forward", "--preset", preset, "--vocab", String.valueOf(s.vocab()),
                "--seq", String.valueOf(s.seq()), "--batch", String.valueOf(s.batchSize()),
                "--rounds", "3", "--warmup", "1", "--variants", "eager_no_grad", "--threads", String.valueOf(s.threads()));
    }

    static List<String> trainArguments(Settings s, String preset) {
        return List.of("train", "--preset", preset, "--vocab", String.valueOf(s.vocab()),
                "--batch-size", String.valueOf(s.batchSize()), "--seq", String.valueOf(s.seq()),
                "--steps", String.valueOf(s.steps()), "--warmup", String.valueOf(s.warmup()),
                "--threads", String.valueOf(s.threads()));
    }
}
