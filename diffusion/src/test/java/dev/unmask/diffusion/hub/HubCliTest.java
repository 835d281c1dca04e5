package dev.unmask.diffusion.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.diffusion.Fixtures;
import dev.unmask.diffusion.cli.UnmaskCli;
import dev.unmask.diffusion.util.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hub ids wherever the command line names a model; a local folder of the same spelling wins. */
class HubCliTest {
    @TempDir Path tmp;
    MockHub hub;
    String bert;
    Map<String, String> env;

    record Run(int exit, String out, String err) {
        JsonNode lastJson() throws Exception {
            String[] lines = out.strip().split("\n");
            return Json.MAPPER.readTree(lines[lines.length - 1]);
        }
    }

    @BeforeEach
    void publish() throws Exception {
        hub = new MockHub();
        bert = hub.publish("unmask-test/tiny-bert", "main", HubFixtures.repoFiles("tiny-bert"));
        hub.publish("unmask-test/tiny-roberta", "main", HubFixtures.repoFiles("tiny-roberta"));
        env = Map.of("HF_HOME", tmp.resolve("home").toString(), "HF_HUB_CACHE", tmp.resolve("cache").toString(),
                "HF_ENDPOINT", hub.endpoint().toString());
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    Path snapshot(String name, String commit) {
        return tmp.resolve("cache").resolve("models--unmask-test--" + name).resolve("snapshots").resolve(commit);
    }

    @Test
    void inspectParityAndGenerateTakeAHubId() throws Exception {
        Run inspect = run("inspect", "unmask-test/tiny-bert");
        assertEquals(0, inspect.exit(), inspect.err());
        JsonNode json = inspect.lastJson();
        assertEquals("bert", json.get("model_type").asText());
        assertEquals(snapshot("tiny-bert", bert).toString(), json.get("model").asText());
        assertTrue(inspect.err().contains("fetching unmask-test/tiny-bert: model.safetensors"), inspect.err());

        hub.forget();
        Run parity = run("parity", "unmask-test/tiny-bert@" + bert, Fixtures.parityFile("tiny-bert").toString());
        assertEquals(0, parity.exit(), parity.err());
        assertTrue(parity.lastJson().get("passed").asBoolean());
        assertEquals(List.of(), hub.requests(), "served from the cache");

        Run generate = run("generate", "unmask-test/tiny-roberta", "--prompt", "the cat", "--max-tokens", "4",
                "--steps", "2", "--temperature", "0", "--device", "cpu", "--json");
        assertEquals(0, generate.exit(), generate.err());
        assertEquals(4, generate.lastJson().get("tokens").asInt(), generate.out());
    }

    @Test
    void trainAndEvalTakeAHubIdAndLeaveTheCacheAsItWas() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            lines.add("the cat sat on the mat and a dog ran in the park number " + i + " .");
        }
        Path corpus = Files.write(tmp.resolve("c.txt"), lines);
        Path out = tmp.resolve("out");
        Run train = run("train", "--model", "unmask-test/tiny-roberta", "--corpus", corpus.toString(), "--format", "text",
                "--out", out.toString(), "--steps", "2", "--batch-size", "4", "--seq-len", "32", "--packing", "pad",
                "--eval-samples", "0", "--device", "cpu");
        assertEquals(0, train.exit(), train.err());
        Path tokenizer = out.resolve("tokenizer.json");
        assertFalse(Files.isSymbolicLink(tokenizer), "the output owns its files");
        assertEquals(Files.readString(Fixtures.model("tiny-roberta").resolve("tokenizer.json")), Files.readString(tokenizer));
        Run eval = run("eval", "unmask-test/tiny-roberta", corpus.toString(), "--format", "text", "--seq-len", "32",
                "--samples", "1", "--device", "cpu");
        assertEquals(0, eval.exit(), eval.err());
        assertTrue(eval.lastJson().get("elbo_perplexity").asDouble() > 1, eval.out());
        hub.forget();
        assertEquals(0, run("inspect", "unmask-test/tiny-roberta").exit());
        assertEquals(List.of(), hub.requests(), "training wrote nothing into the snapshot");
    }

    @Test
    void aMissingModelExitsTwoNamingBothReadings() {
        Run run = run("inspect", "unmask-test/nothing");
        assertEquals(UnmaskCli.EXIT_BAD_INPUT, run.exit());
        assertTrue(run.err().contains("'unmask-test/nothing' is not a local folder, and as a Hub id")
                && run.err().contains("not found or is private"), run.err());
    }

    @Test
    void aLocalFolderWinsOverAHubIdOfTheSameSpelling() throws Exception {
        Path local = Files.createDirectories(tmp.resolve("work/unmask-test/tiny-bert"));
        HubResolver resolver = new HubResolver(HubEnvironment.fromEnv(env));
        ModelLocator locator = new ModelLocator(resolver, tmp.resolve("work"));
        assertEquals(local, locator.locate("unmask-test/tiny-bert", DownloadListener.NONE));
        assertEquals(tmp.resolve("work/plain"), locator.locate("plain", DownloadListener.NONE), "not a Hub id: a path");
        assertEquals(List.of(), hub.requests());
        Path resolved = locator.locate("unmask-test/tiny-roberta", DownloadListener.NONE);
        assertEquals(snapshot("tiny-roberta", Files.readString(tmp.resolve("cache/models--unmask-test--tiny-roberta/refs/main"))),
                resolved, "no such local folder: the Hub id");
        HubException e = assertThrows(HubException.class, () -> locator.locate("unmask-test/nothing", DownloadListener.NONE));
        assertEquals(HubException.Kind.UNAUTHORIZED, e.kind());
    }

    private Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int exit = UnmaskCli.run(env, args);
            return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
