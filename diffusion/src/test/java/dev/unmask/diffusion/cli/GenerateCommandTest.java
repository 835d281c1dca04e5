package dev.unmask.diffusion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.diffusion.Fixtures;
import dev.unmask.diffusion.run.GeneratedText;
import dev.unmask.diffusion.run.TextGenerator;
import dev.unmask.diffusion.sample.FrameListener;
import dev.unmask.diffusion.sample.GenerationConfig;
import dev.unmask.diffusion.sample.Strategy;
import dev.unmask.diffusion.util.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ./unmask generate} prints the decoder's text of prompt and generation together. */
class GenerateCommandTest {
    static final String[] ARGS = {"generate", Fixtures.model("tiny-bert").toString(), "--prompt", "She looked at",
        "--strategy", "topk", "--steps", "4", "--max-tokens", "4", "--temperature", "0", "--seed", "3",
        "--device", "cpu"};

    @Test
    void printsTheFullTextAsTheTokenizerDecodesIt() throws Exception {
        GeneratedText expected;
        try (TextGenerator generator = TextGenerator.load(Fixtures.model("tiny-bert"), Device.cpu(), DataType.FLOAT32)) {
            GenerationConfig greedy = new GenerationConfig(Strategy.TOPK, 4, 0, 50, 0.95, 0.9, 0, true);
            expected = generator.generate(List.of("She looked at"), new long[] {3}, 4, greedy, FrameListener.NONE,
                    () -> false).get(0);
        }
        assertEquals(expected.fullText(), stdout(ARGS).strip());
        assertEquals("she looked at" + expected.text(), expected.fullText());

        String[] json = java.util.Arrays.copyOf(ARGS, ARGS.length + 1);
        json[ARGS.length] = "--json";
        JsonNode line = Json.MAPPER.readTree(stdout(json).strip());
        assertEquals(expected.fullText(), line.get("fullText").asText());
        assertEquals(expected.text(), line.get("text").asText());
    }

    private static String stdout(String... args) {
        CliRun run = CliRun.of(args);
        assertEquals(0, run.exit(), run.err());
        return run.out();
    }

}
