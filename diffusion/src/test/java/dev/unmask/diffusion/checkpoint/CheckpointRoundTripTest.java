package dev.unmask.diffusion.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import dev.unmask.diffusion.model.EncoderConfig;
import dev.unmask.diffusion.model.EncoderOutput;
import dev.unmask.diffusion.model.MaskedLanguageModel;
import dev.unmask.diffusion.model.ModelInitializer;
import dev.unmask.diffusion.parity.ParityChecker;
import dev.unmask.diffusion.parity.ParityReport;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import dev.unmask.diffusion.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading HF folders, writing them back, and reading what was written. */
class CheckpointRoundTripTest {
    @TempDir Path tmp;
    NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-roberta", "tiny-bert"})
    void writtenFolderReadsBackBitIdentical(String name) throws Exception {
        Path source = Fixtures.model(name);
        Path out = tmp.resolve(name);
        try (MaskedLanguageModel model = HfCheckpointReader.load(source, manager, Device.cpu(), DataType.FLOAT32);
                TextTokenizer tokenizer = TextTokenizer.load(source)) {
            HfCheckpointWriter.save(model, tokenizer, out);
        }
        assertTensorsIdentical(source.resolve("model.safetensors"), out.resolve("model.safetensors"));

        JsonNode config = Json.read(out.resolve("config.json"));
        JsonNode original = Json.read(source.resolve("config.json"));
        assertEquals(original.get("architectures"), config.get("architectures"));
        assertEquals(original.get("model_type"), config.get("model_type"));
        for (String field : List.of("vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads",
                "intermediate_size", "max_position_embeddings", "type_vocab_size", "layer_norm_eps",
                "pad_token_id", "hidden_act", "tie_word_embeddings")) {
            assertEquals(original.get(field), config.get(field), field);
        }
        assertTrue(Files.exists(out.resolve("tokenizer.json")));
        assertTrue(Files.exists(out.resolve("tokenizer_config.json")));
        try (SafetensorsReader reader = SafetensorsReader.open(out.resolve("model.safetensors"))) {
            assertEquals("pt", reader.metadata().get("format"));
        }

        ParityReport report = new ParityChecker(ParityReport.Tolerances.FP32)
                .check(out, Fixtures.parityFile(name), Device.cpu());
        assertTrue(report.passed(), () -> report.failures().toString());
    }

    @Test
    void shardedCheckpointRoundTrips() throws Exception {
        Path source = Fixtures.model("tiny-roberta");
        Path out = tmp.resolve("sharded");
        try (MaskedLanguageModel model = HfCheckpointReader.load(source, manager, Device.cpu(), DataType.FLOAT32);
                TextTokenizer tokenizer = TextTokenizer.load(source)) {
            HfCheckpointWriter.save(model, tokenizer, out, 100_000);
        }
        assertFalse(Files.exists(out.resolve("model.safetensors")));
        JsonNode index = Json.read(out.resolve("model.safetensors.index.json"));
        assertEquals(567_176 - 4576 - 8, index.get("metadata").get("total_size").asLong());
        assertEquals(42, index.get("weight_map").size());
        List<Path> files = HfCheckpointReader.weightFiles(out);
        assertTrue(files.size() >= 3, "several shards: " + files);
        try (MaskedLanguageModel original = HfCheckpointReader.load(source, manager, Device.cpu(), DataType.FLOAT32);
                MaskedLanguageModel sharded = HfCheckpointReader.load(out, manager, Device.cpu(), DataType.FLOAT32)) {
            for (Map.Entry<String, NDArray> p : original.parameters().entrySet()) {
                assertArrayEquals(p.getValue().toByteArray(), sharded.parameters().get(p.getKey()).toByteArray(),
                        p.getKey());
            }
        }
    }

    @Test
    void untiedDecoderIsWrittenAndReadSeparately() throws Exception {
        ObjectNode json = (ObjectNode) Json.read(Fixtures.model("tiny-roberta").resolve("config.json"));
        json.put("tie_word_embeddings", false);
        json.put("num_hidden_layers", 3);
        json.put("hidden_size", 48);
        json.put("num_attention_heads", 3);
        json.put("hidden_act", "gelu_new");
        EncoderConfig config = EncoderConfig.fromJson(json);
        Path out = tmp.resolve("untied");
        try (MaskedLanguageModel model = ModelInitializer.initialize(config, manager, Device.cpu(), DataType.FLOAT32, 7)) {
            HfCheckpointWriter.save(model, null, out);
            try (SafetensorsReader reader = SafetensorsReader.open(out.resolve("model.safetensors"))) {
                assertTrue(reader.entries().containsKey("lm_head.decoder.weight"));
            }
            try (MaskedLanguageModel back = HfCheckpointReader.load(out, manager, Device.cpu(), DataType.FLOAT32);
                    NDManager call = manager.newSubManager()) {
                NDArray decoder = back.parameters().get("lm_head.decoder.weight");
                NDArray word = back.parameters().get("roberta.embeddings.word_embeddings.weight");
                assertFalse(decoder.contentEquals(word), "untied decoder is its own tensor");
                NDArray ids = call.create(new long[][] {{0, 5, 6, 7, 2, 1}});
                NDArray mask = call.create(new long[][] {{1, 1, 1, 1, 1, 0}});
                EncoderOutput a = model.forward(ids, mask, null);
                EncoderOutput b = back.forward(ids, mask, null);
                assertArrayEquals(a.logits().toFloatArray(), b.logits().toFloatArray());
                // gelu_new trains: a backward pass through it gives finite, non-zero gradients. A fresh
                // model's residual branches start at zero, so give layer 0's feed-forward output
                // projection weights first: then the gradient has to come back through gelu_new.
                NDArray branch = back.parameters().get("roberta.encoder.layer.0.output.dense.weight");
                float[] weights = new float[Math.toIntExact(branch.size())];
                Random random = new Random(1);
                for (int i = 0; i < weights.length; i++) {
                    weights[i] = (float) (0.05 * random.nextGaussian());
                }
                branch.set(weights);
                NDArray labels = call.create(new long[][] {{-100, 5, -100, 7, -100, -100}});
                var grads = dev.unmask.diffusion.parity.ParityChecker.lossAndGradients(back, ids, mask, null, labels);
                double ffn = grads.norms().get("roberta.encoder.layer.0.intermediate.dense.weight");
                assertTrue(Double.isFinite(ffn) && ffn > 0, "gradient through gelu_new: " + ffn);
            }
        }
    }

    @Test
    void float16ModelsSaveAsF16AndReload() throws Exception {
        Path source = Fixtures.model("tiny-bert");
        Path out = tmp.resolve("fp16");
        try (MaskedLanguageModel half = HfCheckpointReader.load(source, manager, Device.cpu(), DataType.FLOAT16);
                MaskedLanguageModel full = HfCheckpointReader.load(source, manager, Device.cpu(), DataType.FLOAT32);
                NDManager call = manager.newSubManager()) {
            assertEquals(DataType.FLOAT16, half.dataType());
            HfCheckpointWriter.save(half, null, out);
            try (SafetensorsReader reader = SafetensorsReader.open(out.resolve("model.safetensors"))) {
                assertTrue(reader.entries().values().stream().allMatch(e -> e.dtype() == TensorDType.F16));
            }
            assertEquals("float16", Json.read(out.resolve("config.json")).get("dtype").asText());
            NDArray ids = call.create(new long[][] {{2, 95, 41, 767, 4, 3}});
            float[] halfLogits = half.forward(ids, null, null).logits().toType(DataType.FLOAT32, false).toFloatArray();
            float[] fullLogits = full.forward(ids, null, null).logits().toFloatArray();
            for (int i = 0; i < fullLogits.length; i++) {
                assertEquals(fullLogits[i], halfLogits[i], 0.02, "logit " + i);
            }
            try (MaskedLanguageModel back = HfCheckpointReader.load(out, manager, Device.cpu(), DataType.FLOAT16)) {
                for (Map.Entry<String, NDArray> p : half.parameters().entrySet()) {
                    assertArrayEquals(p.getValue().toByteArray(), back.parameters().get(p.getKey()).toByteArray());
                }
            }
        }
    }

    @Test
    void bfloat16TensorsAreWidenedWhileReading() throws Exception {
        Path source = Fixtures.model("tiny-roberta");
        Path out = tmp.resolve("bf16");
        Files.createDirectories(out);
        Files.copy(source.resolve("config.json"), out.resolve("config.json"));
        RawSafetensors raw = new RawSafetensors();
        Map<String, float[]> originals = new java.util.HashMap<>();
        try (SafetensorsReader reader = SafetensorsReader.open(source.resolve("model.safetensors"))) {
            for (TensorEntry e : reader.entries().values()) {
                float[] values = reader.read(e.name(), manager).toFloatArray();
                originals.put(e.name(), values);
                raw.put(e.name(), "BF16", e.shape().getShape(), RawSafetensors.bf16(values));
            }
        }
        raw.write(out.resolve("model.safetensors"));
        try (MaskedLanguageModel model = HfCheckpointReader.load(out, manager, Device.cpu(), DataType.FLOAT32)) {
            for (Map.Entry<String, float[]> e : originals.entrySet()) {
                float[] loaded = model.parameters().get(e.getKey()).toFloatArray();
                for (int i = 0; i < loaded.length; i++) {
                    assertEquals(RawSafetensors.bf16Value(e.getValue()[i]), loaded[i], 0f, e.getKey() + "[" + i + "]");
                }
            }
        }
    }

    private void assertTensorsIdentical(Path expected, Path actual) throws Exception {
        try (SafetensorsReader a = SafetensorsReader.open(expected);
                SafetensorsReader b = SafetensorsReader.open(actual)) {
            assertEquals(a.entries().keySet(), b.entries().keySet());
            for (TensorEntry e : a.entries().values()) {
                TensorEntry f = b.entries().get(e.name());
                assertEquals(e.dtype(), f.dtype(), e.name());
                assertEquals(e.shape(), f.shape(), e.name());
                assertArrayEquals(a.read(e.name(), manager).toByteArray(), b.read(e.name(), manager).toByteArray(),
                        e.name());
            }
        }
    }
}
