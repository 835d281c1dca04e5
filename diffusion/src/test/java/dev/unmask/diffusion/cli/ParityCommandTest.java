package dev.unmask.diffusion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.diffusion.Fixtures;
import dev.unmask.diffusion.checkpoint.HfCheckpointWriter;
import dev.unmask.diffusion.checkpoint.SafetensorsReader;
import dev.unmask.diffusion.checkpoint.SafetensorsWriter;
import dev.unmask.diffusion.model.EncoderConfig;
import dev.unmask.diffusion.model.EncoderOutput;
import dev.unmask.diffusion.model.MaskedLanguageModel;
import dev.unmask.diffusion.model.ModelInitializer;
import dev.unmask.diffusion.parity.ParityChecker;
import dev.unmask.diffusion.util.Json;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./unmask parity}: one JSON line, exit 0 / 1 / 2, any checkpoint shape. */
class ParityCommandTest {
    @TempDir Path tmp;

    @Test
    void fixturePasses() throws Exception {
        CliRun run = CliRun.of("parity", Fixtures.model("tiny-bert").toString(), Fixtures.parityFile("tiny-bert").toString());
        assertEquals(0, run.exit(), run.err());
        JsonNode json = run.json();
        for (String key : new String[] {"max_abs_logit_diff", "max_abs_hidden_diff", "loss_rel_diff",
                "max_grad_norm_rel_diff", "checked"}) {
            assertTrue(json.has(key), key);
        }
        assertTrue(json.get("passed").asBoolean());
    }

    @Test
    void otherShapesWorkAndMissedTolerancesExitOne() throws Exception {
        ObjectNode json = (ObjectNode) Json.read(Fixtures.model("tiny-bert").resolve("config.json"));
        json.put("num_hidden_layers", 3).put("hidden_size", 48).put("num_attention_heads", 3)
                .put("intermediate_size", 96).put("vocab_size", 300).put("tie_word_embeddings", false)
                .put("hidden_act", "relu");
        EncoderConfig config = EncoderConfig.fromJson(json);
        Path model = tmp.resolve("model");
        Path good = tmp.resolve("good.safetensors");
        Path bad = tmp.resolve("bad.safetensors");
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
                MaskedLanguageModel m = ModelInitializer.initialize(config, manager, Device.cpu(), DataType.FLOAT32, 3)) {
            HfCheckpointWriter.save(m, null, model);
            NDArray ids = manager.create(new long[][] {{2, 10, 11, 4, 12, 3, 0}, {2, 20, 4, 21, 3, 0, 0}});
            NDArray mask = manager.create(new long[][] {{1, 1, 1, 1, 1, 1, 0}, {1, 1, 1, 1, 1, 0, 0}});
            NDArray labels = manager.create(new long[][] {{-100, -100, -100, 30, -100, -100, -100},
                {-100, -100, 40, -100, -100, -100, -100}});
            EncoderOutput out = m.forward(ids, mask, null);
            ParityChecker.Gradients grads = ParityChecker.lossAndGradients(m, ids, mask, null, labels);
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            tensors.put("input_ids", ids);
            tensors.put("attention_mask", mask);
            tensors.put("labels", labels);
            tensors.put("logits", out.logits());
            tensors.put("last_hidden", out.hidden());
            tensors.put("loss", manager.create(new float[] {(float) grads.loss()}));
            grads.norms().forEach((name, norm) ->
                    tensors.put("grad_norm." + name, manager.create(new float[] {norm.floatValue()})));
            SafetensorsWriter.write(good, tensors, Map.of());
            tensors.put("logits", out.logits().add(1e-3f));
            SafetensorsWriter.write(bad, tensors, Map.of());
        }

        CliRun pass = CliRun.of("parity", model.toString(), good.toString());
        assertEquals(0, pass.exit(), pass.out() + pass.err());
        assertEquals(3 + 59, pass.json().get("checked").size(), "logits, hidden, loss and 59 gradient norms (3 layers, untied)");

        CliRun fail = CliRun.of("parity", model.toString(), bad.toString());
        assertEquals(1, fail.exit());
        JsonNode report = fail.json();
        assertFalse(report.get("passed").asBoolean());
        assertTrue(report.get("failures").get(0).asText().startsWith("max_abs_logit_diff"), report.toString());
    }

    @Test
    void gpt2FolderGivesTheSameLineAndChecksGreedy() throws Exception {
        Path dir = Fixtures.gpt2("tiny-gpt2");
        CliRun run = CliRun.of("parity", dir.toString(), dir.resolve("parity.safetensors").toString());
        assertEquals(0, run.exit(), run.out() + run.err());
        JsonNode json = run.json();
        for (String key : new String[] {"max_abs_logit_diff", "max_abs_hidden_diff", "loss", "loss_rel_diff",
                "max_grad_norm_rel_diff", "worst_grad_param", "checked", "not_checked", "tolerances", "failures"}) {
            assertTrue(json.has(key), key);
        }
        assertTrue(json.get("checked").toString().contains("\"greedy_16\""), json.toString());
        assertEquals(0, json.get("not_checked").size(), json.toString());
        assertTrue(json.get("passed").asBoolean());
    }

    @Test
    void gpt2GreedyMismatchExitsOne() throws Exception {
        Path dir = Fixtures.gpt2("tiny-gpt2");
        Path changed = tmp.resolve("parity.safetensors");
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
                SafetensorsReader reader = SafetensorsReader.open(dir.resolve("parity.safetensors"))) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (String key : reader.entries().keySet()) {
                tensors.put(key, reader.read(key, manager));
            }
            long[] greedy = tensors.get("greedy_16").toLongArray();
            greedy[greedy.length - 1] = (greedy[greedy.length - 1] + 1) % 1000;
            tensors.put("greedy_16", manager.create(greedy, tensors.get("greedy_16").getShape()));
            SafetensorsWriter.write(changed, tensors, Map.of());
        }
        CliRun run = CliRun.of("parity", dir.toString(), changed.toString());
        assertEquals(1, run.exit(), run.out() + run.err());
        JsonNode report = run.json();
        assertEquals(1, report.get("failures").size(), report.toString());
        assertTrue(report.get("failures").get(0).asText().startsWith("greedy_16 row 0 differs"), report.toString());
    }

    @Test
    void unreadableInputExitsTwoWithAMessage() throws Exception {
        CliRun run = CliRun.of("parity", tmp.resolve("missing").toString(), Fixtures.parityFile("tiny-bert").toString());
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("is not a directory"), run.err());
        assertTrue(run.out().isEmpty());
    }
}
