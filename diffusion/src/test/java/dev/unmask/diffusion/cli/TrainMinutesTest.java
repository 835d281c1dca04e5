package dev.unmask.diffusion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./unmask train --minutes}: a wall-clock budget ends the run early and the model is still saved. */
class TrainMinutesTest {
    @TempDir Path tmp;

    private Path corpus() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            lines.add("the cat sat on the mat number " + (i % 9) + " and the dog ran home .");
        }
        return Files.write(tmp.resolve("c.txt"), lines);
    }

    @Test
    void aBudgetEndsTheRunBeforeItsStepCeilingAndSavesTheModel() throws Exception {
        Path out = tmp.resolve("budgeted");
        // 0.001 min = 60 ms: the first step alone takes longer, so the run ends after one or a few steps.
        CliRun train = CliRun.of("train", "--model", "preset:tiny", "--corpus", corpus().toString(), "--out",
                out.toString(), "--steps", "100000", "--lr-decay", "constant", "--minutes", "0.001",
                "--batch-size", "2", "--seq-len", "32", "--vocab-size", "300", "--held-out", "0.1",
                "--device", "cpu", "--log-every", "1");
        assertEquals(0, train.exit(), train.err());
        JsonNode summary = train.json();
        int steps = summary.get("steps").asInt();
        assertTrue(steps >= 1 && steps < 100000, "the budget, not the ceiling, ended it: " + steps);
        assertTrue(Files.exists(out.resolve("config.json")), "the final model is saved");
        assertTrue(summary.get("eval").has("elbo_perplexity"), summary.toString());
    }

    @Test
    void aDecayingScheduleIsRefusedWithABudget() throws Exception {
        CliRun train = CliRun.of("train", "--model", "preset:tiny", "--corpus", corpus().toString(), "--out",
                tmp.resolve("refused").toString(), "--steps", "1000", "--minutes", "1", "--device", "cpu");
        assertNotEquals(0, train.exit());
        assertTrue(train.err().contains("--minutes needs --lr-decay constant"), train.err());
        assertTrue(Files.notExists(tmp.resolve("refused").resolve("config.json")));
    }
}
