package dev.unmask.diffusion.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.diffusion.model.EncoderConfig;
import dev.unmask.diffusion.model.Presets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The forward and train comparisons' reading of the reference's lines, and their FLOP counts, without running it. */
class ReferenceLinesTest {
    static final String MATMUL = "{\"bench\": \"matmul\", \"shape\": \"(2048x768)x(768x3072)\", "
            + "\"mm_gflops_per_s\": 264.0, \"linear_gflops_per_s\": 250.0, \"mkldnn_linear_gflops_per_s\": 482.0}";

    static String forward(String variant, int batch, double tps, double gflops) {
        return "{\"bench\": \"forward\", \"variant\": \"" + variant + "\", \"batch\": " + batch + ", \"tokens_per_s\": "
                + tps + ", \"gflops_per_s\": " + gflops + "}";
    }

    @Test
    void theBestMatmulOfTheRoundIsAnyLibrarys() {
        List<JsonNode> lines = ReferenceProcess.jsonLines(List.of("{\"bench\": \"environment\"}", MATMUL));
        MatmulRates rates = MatmulRates.of("(2048x768)x(768x3072)", 220.0, lines);
        assertEquals("reference_onednn_linear", rates.best());
        assertEquals(482.0, rates.bestGflopsPerSecond(), 1e-9);
        assertEquals(4, rates.gflopsPerSecond().size());
        MatmulRates ours = MatmulRates.of("(2048x768)x(768x3072)", 600.0, lines);
        assertEquals("unmask_matmul", ours.best());
    }

    @Test
    void matmulRatesOfDifferentShapesAreRefused() {
        List<JsonNode> lines = ReferenceProcess.jsonLines(List.of(MATMUL));
        Exception e = assertThrows(ReferenceProcess.UnavailableException.class,
                () -> MatmulRates.of("(256x768)x(768x3072)", 200.0, lines));
        assertTrue(e.getMessage().contains("(2048x768)x(768x3072)"), e.getMessage());
        assertThrows(ReferenceProcess.UnavailableException.class,
                () -> MatmulRates.of("(2048x768)x(768x3072)", 200.0, List.of()));
    }

    @Test
    void theFastestForwardVariantPerBatch() {
        List<JsonNode> lines = ReferenceProcess.jsonLines(List.of(MATMUL, forward("eager_no_grad", 1, 600, 60),
                forward("mkldnn_linear", 1, 1000, 100), forward("fastpath", 8, 1200, 120), "not json"));
        assertEquals("mkldnn_linear", ForwardCompare.fastest(lines, 1).path("variant").asText());
        assertEquals("fastpath", ForwardCompare.fastest(lines, 8).path("variant").asText());
        assertThrows(ReferenceProcess.UnavailableException.class, () -> ForwardCompare.fastest(lines, 32));
    }

    @Test
    void flopCountsFollowTheReferenceFormula() {
        EncoderConfig base = Presets.roberta("base", 50265);
        // torch_cpu_bench.py forward_flops for roberta-base, batch 1, seq 256, by hand
        double n = 256, h = 768, f = 3072, v = 50265;
        double perLayer = 2 * n * h * h * 4 + 2 * n * h * f * 2 + 2.0 * 256 * 256 * h * 2;
        double expected = perLayer * 12 + 2 * n * h * h + 2 * n * h * v;
        assertEquals(expected, ForwardBenchmark.forwardFlops(base, 1, 256), 1);
        // training: three forwards, the head at 0.55 of the positions
        double train = 3 * (perLayer * 12 + 2 * 0.55 * n * h * h + 2 * 0.55 * n * h * v);
        assertEquals(train, TrainCompare.trainFlops(base, 1, 256), 1);
    }

    @Test
    void summariesTakeMediansOfRatiosPerShape() {
        record R(String shape, double unmask, double reference) {}
        List<RatioSummary> s = RatioSummary.of(List.of(new R("tiny", 300, 100), new R("base", 80, 100),
                new R("tiny", 200, 100), new R("base", 100, 100), new R("tiny", 240, 100)),
                R::shape, R::unmask, R::reference, r -> 0.5, r -> 0.25);
        assertEquals(List.of("tiny", "base"), s.stream().map(RatioSummary::shape).toList());
        assertEquals(2.4, s.get(0).medianRatio(), 1e-9);
        assertEquals(2.0, s.get(0).minRatio(), 1e-9);
        assertEquals(3.0, s.get(0).maxRatio(), 1e-9);
        assertEquals(0.9, s.get(1).medianRatio(), 1e-9);
        assertEquals(0.5, s.get(1).unmaskFractionOfBestMatmul(), 1e-9);
    }
}
