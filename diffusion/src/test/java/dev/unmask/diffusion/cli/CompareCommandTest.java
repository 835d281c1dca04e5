package dev.unmask.diffusion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.diffusion.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** {@code ./unmask compare} end to end on a small corpus with a budget of about a second per model. */
class CompareCommandTest {
    static final double MINUTES = 0.02; // 1.2 s per model

    @TempDir Path tmp;

    @Test
    void trainsBothOnTheSameDataForTheBudgetAndWritesTheReport() throws Exception {
        List<String> lines = new ArrayList<>();
        String[] animals = {"cat", "dog", "bird", "horse", "fox", "cow"};
        String[] places = {"mat", "hill", "barn", "road", "river", "house"};
        for (int i = 0; i < 90; i++) {
            lines.add("the " + animals[i % 6] + " walked to the " + places[(i / 6) % 6] + " and saw " + (i % 7)
                    + " small stones near the old " + places[(i + 2) % 6] + " .");
        }
        Path corpus = Files.write(tmp.resolve("c.txt"), lines);
        Path out = tmp.resolve("report");
        CliRun run = CliRun.of("compare", "--corpus", corpus.toString(), "--size", "tiny", "--minutes",
                String.valueOf(MINUTES), "--out", out.toString(), "--device", "cpu", "--vocab-size", "300",
                "--seq-len", "32", "--batch-size", "4", "--warmup-steps", "2", "--held-out", "0.1",
                "--eval-samples", "1", "--prompt-tokens", "5", "--new-tokens", "12", "--samples", "4",
                "--latency-rounds", "1");
        System.out.println(run.err());
        assertEquals(0, run.exit(), run.err());
        JsonNode line = run.json();

        JsonNode d = line.get("diffusion");
        JsonNode g = line.get("gpt2");
        assertEquals("tiny", d.get("preset").asText());
        assertEquals("gpt2-tiny", g.get("preset").asText());
        assertEquals("elbo_bound", d.get("perplexity_kind").asText());
        assertEquals("exact", g.get("perplexity_kind").asText());
        long lost = d.get("held_out_tokens").asLong() - g.get("held_out_tokens").asLong();
        assertTrue(lost >= 0 && lost <= line.get("data").get("held_out_sequences").asLong(), "both perplexities score "
                + "the same tokens but the first of each packed row, which GPT-2 has nothing to predict from: " + lost);
        for (JsonNode side : List.of(d, g)) {
            assertTrue(side.get("held_out_perplexity").asDouble() > 1, side.toString());
            int steps = side.get("steps").asInt();
            assertTrue(steps >= 1 && steps < 10_000_000, "stopped by the budget: " + steps);
            assertTrue(side.get("train_seconds").asDouble() >= MINUTES * 60, "trained for the budget: " + side);
            assertEquals(steps, side.get("batches_seen").asInt());
            assertEquals(4L * 32 * steps, side.get("tokens_seen").asLong(), "packed rows: batch x seq_len per step");
            JsonNode samples = side.get("samples");
            assertEquals(4, samples.get("count").asInt());
            double genPpl = samples.get("generative_perplexity").asDouble();
            assertTrue(genPpl > 1 && Double.isFinite(genPpl), samples.toString());
            double distinct = samples.get("distinct_2").asDouble();
            assertTrue(distinct > 0 && distinct <= 1, samples.toString());
            double repeats = samples.get("repeat_rate").asDouble();
            assertTrue(repeats >= 0 && repeats < 1, samples.toString());
            assertTrue(!side.has("loss_curve"), "the printed line leaves the curves to report.json");
        }
        assertEquals(4, d.get("latency").size(), "batch 1 and 8 at 10 and 12/4 steps");
        assertEquals(List.of(10, 10, 3, 3), steps(d.get("latency")));
        assertEquals(2, g.get("latency").size(), "batch 1 and 8");
        for (JsonNode l : d.get("latency")) {
            assertEquals(12, l.get("new_tokens").asInt());
            assertEquals(l.get("batch").asInt() * 12 / l.get("seconds").asDouble(),
                    l.get("tokens_per_second").asDouble(), 1e-6);
        }

        JsonNode data = line.get("data");
        assertTrue(data.get("same_data").asBoolean(), data.toString());
        assertEquals(Math.min(d.get("batches_seen").asInt(), g.get("batches_seen").asInt()),
                data.get("common_batches").asInt(), "the shorter run's batches are the longer run's first batches");

        JsonNode report = Json.read(out.resolve("report.json"));
        assertEquals(d.get("steps").asInt(), report.get("diffusion").get("loss_curve").size());
        assertEquals(g.get("steps").asInt(), report.get("gpt2").get("loss_curve").size());
        Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(out.resolve("loss.svg").toFile());
        assertEquals("svg", svg.getDocumentElement().getTagName());
        assertEquals(2, svg.getElementsByTagName("polyline").getLength(), "one curve per model");
        String samples = Files.readString(out.resolve("samples.txt"));
        assertTrue(samples.contains("=== prompt 1") && samples.contains("--- diffusion (tiny)")
                && samples.contains("--- gpt2 (gpt2-tiny)"), samples);
        String summary = Files.readString(out.resolve("summary.md"));
        assertTrue(summary.contains("| held-out perplexity |") && summary.contains("(ELBO bound)"), summary);
    }

    @Test
    void helpNamesTheOptions() {
        CliRun help = CliRun.of("compare", "--help");
        assertEquals(0, help.exit(), help.err());
        for (String option : List.of("--corpus", "--size", "--minutes", "--out", "--device")) {
            assertTrue(help.out().contains(option), option + " in\n" + help.out());
        }
    }

    private static List<Integer> steps(JsonNode latency) {
        List<Integer> steps = new ArrayList<>();
        latency.forEach(l -> steps.add(l.get("steps").asInt()));
        return steps;
    }
}
