package dev.unmask.diffusion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.diffusion.Fixtures;
import dev.unmask.diffusion.checkpoint.Gpt2CheckpointReader;
import dev.unmask.diffusion.model.Gpt2Model;
import dev.unmask.diffusion.sample.FullRecompute;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import dev.unmask.diffusion.util.Json;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@code ./unmask generate} on a GPT-2 folder: left to right, greedy at temperature 0, seeded otherwise. */
class Gpt2GenerateCommandTest {
    static final Path DIR = Fixtures.gpt2("tiny-gpt2");
    static final String PROMPT = "The cat sat on";

    @Test
    void greedyIsTheFullRecomputeContinuation() throws Exception {
        CliRun run = CliRun.of("generate", DIR.toString(), "--prompt", PROMPT, "--temperature", "0",
                "--max-tokens", "12", "--device", "cpu", "--json");
        assertEquals(0, run.exit(), run.err());
        JsonNode line = run.json();
        assertEquals(PROMPT, line.get("prompt").asText());
        String expected = expectedGreedy(12);
        assertTrue(expected.length() > 0, "a continuation to compare");
        assertEquals(expected, line.get("text").asText());
        assertEquals(PROMPT + expected, line.get("fullText").asText(), "byte-level BPE carries its own spaces");
        int tokens = line.get("tokens").asInt();
        assertTrue(tokens > 0 && tokens <= 12, line.toString());
    }

    @Test
    void samplesDependOnTheSeed() throws Exception {
        CliRun run = CliRun.of("generate", DIR.toString(), "--prompt", PROMPT, "--temperature", "1.0",
                "--max-tokens", "20", "-n", "2", "--seed", "5", "--device", "cpu", "--json");
        CliRun again = CliRun.of("generate", DIR.toString(), "--prompt", PROMPT, "--temperature", "1.0",
                "--max-tokens", "20", "-n", "2", "--seed", "5", "--device", "cpu", "--json");
        assertEquals(0, run.exit(), run.err());
        String[] lines = run.out().strip().split("\n");
        assertEquals(2, lines.length, run.out());
        assertEquals(run.out(), again.out(), "same seeds, same texts");
        JsonNode first = Json.MAPPER.readTree(lines[0]);
        JsonNode second = Json.MAPPER.readTree(lines[1]);
        assertEquals(5, first.get("seed").asLong());
        assertEquals(6, second.get("seed").asLong());
        assertNotEquals(first.get("text").asText(), second.get("text").asText());
    }

    /** The prompt's tokens through the whole model every step, argmax, stopped at end-of-text (id 2). */
    private static String expectedGreedy(int tokens) throws Exception {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
                Gpt2Model model = Gpt2CheckpointReader.load(DIR, manager, Device.cpu(), DataType.FLOAT32);
                TextTokenizer tokenizer = TextTokenizer.load(DIR)) {
            long[] prompt = tokenizer.encodePlain(PROMPT);
            long[] seq = FullRecompute.greedy(model, prompt, tokens, 2);
            return tokenizer.decode(Arrays.copyOfRange(seq, prompt.length, seq.length));
        }
    }
}
