package dev.unmask.diffusion.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the reference's output and summarising rounds, without running the reference. */
class CompareBenchmarkTest {
    static String line(String variant, int batch, double tps) {
        return "{\"bench\": \"generate\", \"variant\": \"" + variant + "\", \"batch\": " + batch
                + ", \"tokens_per_s\": " + tps + ", \"s_per_step\": " + (1 / tps) + "}";
    }

    @Test
    void theFastestVariantOfEachBatchIsKept() {
        Map<Integer, JsonNode> best = CompareBenchmark.fastestPerBatch(ReferenceProcess.jsonLines(List.of(
                "{\"bench\": \"environment\", \"torch\": \"1.13.0a0\"}",
                line("eager", 1, 500), line("fused_qkv", 1, 700), line("fastpath", 1, 650),
                "a warning the interpreter printed",
                line("eager", 8, 2000), line("fastpath", 8, 2100))));
        assertEquals(List.of(1, 8), List.copyOf(best.keySet()));
        assertEquals("fused_qkv", best.get(1).get("variant").asText());
        assertEquals("fastpath", best.get(8).get("variant").asText());
    }

    @Test
    void summaryTakesMediansPerBatch() {
        List<CompareBenchmark.Round> rounds = List.of(
                new CompareBenchmark.Round(1, 1, 300, 0, "eager", 100, 0, 3.0, 0),
                new CompareBenchmark.Round(1, 8, 800, 0, "eager", 1000, 0, 0.8, 0),
                new CompareBenchmark.Round(2, 1, 200, 0, "eager", 100, 0, 2.0, 0),
                new CompareBenchmark.Round(2, 8, 900, 0, "eager", 1000, 0, 0.9, 0),
                new CompareBenchmark.Round(3, 1, 240, 0, "eager", 100, 0, 2.4, 0),
                new CompareBenchmark.Round(3, 8, 1000, 0, "eager", 1000, 0, 1.0, 0));
        List<CompareBenchmark.Summary> s = CompareBenchmark.summarise(rounds);
        assertEquals(2, s.size());
        assertEquals(1, s.get(0).batch());
        assertEquals(240, s.get(0).unmaskTokensPerSecond(), 1e-9);
        assertEquals(2.4, s.get(0).medianRatio(), 1e-9);
        assertEquals(2.0, s.get(0).minRatio(), 1e-9);
        assertEquals(3.0, s.get(0).maxRatio(), 1e-9);
        assertEquals(0.9, s.get(1).medianRatio(), 1e-9);
    }

    @Test
    void aMissingInterpreterOrScriptIsNamed(@TempDir Path dir) throws Exception {
        Path script = Files.writeString(dir.resolve("torch_cpu_bench.py"), "");
        Exception noPython = assertThrows(ReferenceProcess.UnavailableException.class,
                () -> new ReferenceProcess(dir.resolve("python3"), script).require());
        assertTrue(noPython.getMessage().contains("python3-torch"), noPython.getMessage());
        Path python = Path.of("/bin/sh");
        Exception noScript = assertThrows(ReferenceProcess.UnavailableException.class,
                () -> new ReferenceProcess(python, dir.resolve("elsewhere/torch_cpu_bench.py")).require());
        assertTrue(noScript.getMessage().contains("--reference"), noScript.getMessage());
        new ReferenceProcess(python, script).require();
    }
}
