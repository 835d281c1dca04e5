package dev.unmask.diffusion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.diffusion.Fixtures;
import dev.unmask.diffusion.HeadlessFolders;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./unmask inspect} names what a headless checkpoint lacks; {@code generate} refuses one. */
class InspectCommandTest {
    @TempDir Path tmp;

    @Test
    void headlessCheckpointListsTheTensorsInitialisedFresh() throws Exception {
        Path dir = HeadlessFolders.bert(tmp.resolve("st"), HeadlessFolders.Layout.SENTENCE_TRANSFORMERS_SUBFOLDER);
        CliRun run = CliRun.of("inspect", dir.toString());
        assertEquals(0, run.exit(), run.err());
        JsonNode json = run.json();
        assertTrue(json.get("headless").asBoolean());
        List<String> fresh = new ArrayList<>();
        json.get("initialised_fresh").forEach(n -> fresh.add(n.asText()));
        assertEquals(List.of("cls.predictions.transform.dense.weight", "cls.predictions.transform.dense.bias",
                "cls.predictions.transform.LayerNorm.weight", "cls.predictions.transform.LayerNorm.bias",
                "cls.predictions.bias"), fresh);
        assertEquals(dir.resolve("0_Transformer").toString(), json.get("transformer_dir").asText());
        assertEquals(1000, json.get("tokenizer").get("vocab_size").asInt());

        JsonNode complete = CliRun.of("inspect", Fixtures.model("tiny-bert").toString()).json();
        assertFalse(complete.get("headless").asBoolean());
        assertEquals(0, complete.get("initialised_fresh").size());
    }

    @Test
    void generateRefusesAHeadlessCheckpoint() throws Exception {
        // the subfolder layout has no config.json at the top: the family is read off its Transformer module
        for (HeadlessFolders.Layout layout : new HeadlessFolders.Layout[] {HeadlessFolders.Layout.BASE_MODEL,
                HeadlessFolders.Layout.SENTENCE_TRANSFORMERS_SUBFOLDER}) {
            Path dir = HeadlessFolders.bert(tmp.resolve(layout.name()), layout);
            CliRun run = CliRun.of("generate", dir.toString(), "--prompt", "the", "--device", "cpu");
            assertEquals(UnmaskCli.EXIT_BAD_INPUT, run.exit(), layout + ": " + run.err());
            assertTrue(run.err().contains("no masked-LM head: cls.predictions.transform.dense.weight"),
                    layout + ": " + run.err());
            assertTrue(run.out().isEmpty(), run.out());
        }
    }
}
