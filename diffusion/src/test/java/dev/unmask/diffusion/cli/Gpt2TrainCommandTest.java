package dev.unmask.diffusion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.diffusion.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./unmask train}, {@code eval} and {@code inspect} on GPT-2, as a user types them. */
class Gpt2TrainCommandTest {
    @TempDir Path tmp;

    @Test
    void trainsAPresetThenEvaluatesAndInspectsTheFolder() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            lines.add("the cat sat on the mat number " + (i % 9) + " and the dog ran home .");
        }
        Path corpus = Files.write(tmp.resolve("c.txt"), lines);
        Path out = tmp.resolve("gpt2");
        CliRun train = CliRun.of("train", "--model", "preset:gpt2-tiny", "--corpus", corpus.toString(), "--out",
                out.toString(), "--steps", "6", "--batch-size", "4", "--seq-len", "32", "--vocab-size", "300",
                "--held-out", "0.1", "--device", "cpu", "--log-every", "1");
        assertEquals(0, train.exit(), train.err());
        JsonNode summary = train.json();
        assertEquals(6, summary.get("steps").asInt());
        assertTrue(summary.get("eval").get("perplexity").asDouble() > 1, summary.toString());
        assertTrue(train.err().contains("step      6/6"), train.err());

        CliRun eval = CliRun.of("eval", out.toString(), corpus.toString(), "--seq-len", "32", "--held-out", "0.1",
                "--batch-size", "4", "--device", "cpu");
        assertEquals(0, eval.exit(), eval.err());
        assertEquals(summary.get("eval"), eval.json(), "the same held-out split and weights as the run's own eval");

        CliRun inspect = CliRun.of("inspect", out.toString());
        assertEquals(0, inspect.exit(), inspect.err());
        JsonNode described = inspect.json();
        assertEquals("gpt2", described.get("model_type").asText());
        assertEquals(4, described.get("layers").asInt());
        assertEquals(128, described.get("hidden_size").asInt());
        assertTrue(described.get("tied_decoder").asBoolean());
        assertEquals(-1, described.get("tokenizer").get("special_ids").get("maskId").asInt(), described.toString());
    }

    @Test
    void inspectsTheGpt2Fixture() throws Exception {
        CliRun inspect = CliRun.of("inspect", Fixtures.gpt2("tiny-gpt2").toString());
        assertEquals(0, inspect.exit(), inspect.err());
        JsonNode described = inspect.json();
        assertEquals("gpt2", described.get("model_type").asText());
        assertEquals(64, described.get("max_sequence_length").asInt());
        assertFalse(described.has("headless"), "an encoder's field");
    }
}
