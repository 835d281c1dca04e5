package dev.unmask.diffusion.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.diffusion.Fixtures;
import dev.unmask.diffusion.model.Gpt2Config;
import dev.unmask.diffusion.model.Gpt2Model;
import dev.unmask.diffusion.model.HiddenAct;
import dev.unmask.diffusion.model.InvalidConfigException;
import dev.unmask.diffusion.model.ModelFamily;
import dev.unmask.diffusion.parity.ParityChecker;
import dev.unmask.diffusion.parity.ParityReport;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import dev.unmask.diffusion.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GPT2LMHeadModel folders: both tensor layouts read, written as transformers saves them, read back bit-identical. */
class Gpt2CheckpointTest {
    static final Path FIXTURE = Fixtures.gpt2("tiny-gpt2");
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

    @Test
    void configIsReadAsTransformersDefinesIt() throws Exception {
        Gpt2Config config = Gpt2CheckpointReader.readConfig(FIXTURE);
        assertEquals(ModelFamily.CAUSAL_LM, HfCheckpointReader.family(FIXTURE));
        assertEquals(1000, config.vocabSize());
        assertEquals(64, config.embedSize());
        assertEquals(2, config.numLayers());
        assertEquals(4, config.numHeads());
        assertEquals(64, config.maxPositions());
        assertEquals(256, config.innerSize(), "n_inner null: 4 * n_embd");
        assertEquals(HiddenAct.GELU_NEW, config.activation());
        assertEquals(1e-5, config.layerNormEps());
        assertTrue(config.tieWordEmbeddings());
        assertEquals(2, config.eosTokenId());
        assertEquals(0.1, config.extra().get("attn_pdrop").asDouble(), "uninterpreted fields are kept");
    }

    /** Byte-level BPE with a ByteLevel post-processor: a text's ids are its tokens, nothing added around them. */
    @Test
    void tokenizerAddsNoSpecialTokens() throws Exception {
        try (TextTokenizer tokenizer = TextTokenizer.load(FIXTURE)) {
            String text = "The cat sat on the mat.";
            long[] ids = tokenizer.encode(text);
            assertArrayEquals(tokenizer.encodePlain(text), ids);
            assertTrue(ids.length > 3 && ids[0] != 2 && ids[ids.length - 1] != 2, Arrays.toString(ids));
            assertEquals(text, tokenizer.decode(ids));
            assertEquals(2, tokenizer.specials().eosId(), "</s>, the config's eos_token_id");
        }
    }

    @Test
    void unsupportedConfigValuesNameTheirField() throws Exception {
        ObjectNode json = (ObjectNode) Json.read(FIXTURE.resolve("config.json"));
        InvalidConfigException act = assertThrows(InvalidConfigException.class,
                () -> Gpt2Config.fromJson(json.deepCopy().put("activation_function", "swish")));
        assertEquals("activation_function", act.field());
        assertTrue(act.getMessage().contains("\"swish\""), act.getMessage());
        InvalidConfigException heads = assertThrows(InvalidConfigException.class,
                () -> Gpt2Config.fromJson(json.deepCopy().put("n_head", 5)));
        assertTrue(heads.getMessage().contains("a divisor of n_embd (64)"), heads.getMessage());
        InvalidConfigException scale = assertThrows(InvalidConfigException.class,
                () -> Gpt2Config.fromJson(json.deepCopy().put("scale_attn_by_inverse_layer_idx", true)));
        assertEquals("scale_attn_by_inverse_layer_idx", scale.field());
    }

    @Test
    void writtenFolderReadsBackBitIdentical() throws Exception {
        Path out = tmp.resolve("written");
        try (Gpt2Model model = Gpt2CheckpointReader.load(FIXTURE, manager, Device.cpu(), DataType.FLOAT32);
                TextTokenizer tokenizer = TextTokenizer.load(FIXTURE)) {
            HfCheckpointWriter.save(model, tokenizer, out);
        }
        assertTensorsIdentical(FIXTURE.resolve("model.safetensors"), out.resolve("model.safetensors"), Map.of());
        JsonNode written = Json.read(out.resolve("config.json"));
        JsonNode original = Json.read(FIXTURE.resolve("config.json"));
        for (String field : List.of("architectures", "model_type", "vocab_size", "n_embd", "n_layer", "n_head",
                "n_positions", "n_inner", "activation_function", "layer_norm_epsilon", "tie_word_embeddings",
                "bos_token_id", "eos_token_id", "n_ctx", "scale_attn_weights", "resid_pdrop")) {
            assertEquals(original.get(field), written.get(field), field);
        }
        assertTrue(Files.exists(out.resolve("tokenizer.json")));
        try (Gpt2Model back = Gpt2CheckpointReader.load(out, manager, Device.cpu(), DataType.FLOAT32);
                Gpt2Model source = Gpt2CheckpointReader.load(FIXTURE, manager, Device.cpu(), DataType.FLOAT32)) {
            assertEquals(source.parameters().keySet(), back.parameters().keySet());
            for (Map.Entry<String, NDArray> p : source.parameters().entrySet()) {
                assertArrayEquals(p.getValue().toByteArray(), back.parameters().get(p.getKey()).toByteArray(),
                        p.getKey());
            }
        }
        assertParity(out);
    }

    /** openai-community/gpt2's own layout: no transformer. prefix, causal-mask buffers beside the weights. */
    @Test
    void unprefixedLayoutWithAttentionBuffersReadsTheSameModel() throws Exception {
        Path legacy = tmp.resolve("legacy");
        Files.createDirectories(legacy);
        for (String file : List.of("config.json", "tokenizer.json", "tokenizer_config.json")) {
            Files.copy(FIXTURE.resolve(file), legacy.resolve(file));
        }
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        Map<String, String> renamed = new LinkedHashMap<>();
        try (SafetensorsReader reader = SafetensorsReader.open(FIXTURE.resolve("model.safetensors"))) {
            for (String name : reader.entries().keySet()) {
                String bare = name.substring("transformer.".length());
                tensors.put(bare, reader.read(name, manager));
                renamed.put(name, bare);
            }
        }
        float[] lower = new float[64 * 64];
        for (int i = 0; i < 64; i++) {
            for (int j = 0; j <= i; j++) {
                lower[i * 64 + j] = 1f;
            }
        }
        NDArray causal = manager.create(lower, new Shape(1, 1, 64, 64)); // (1, 1, P, P) lower triangle
        for (int i = 0; i < 2; i++) {
            tensors.put("h." + i + ".attn.bias", causal);
            tensors.put("h." + i + ".attn.masked_bias", manager.create(new float[] {-1e4f}).reshape(new Shape()));
        }
        SafetensorsWriter.write(legacy.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
        try (SafetensorsReader reader = SafetensorsReader.open(legacy.resolve("model.safetensors"))) {
            assertTrue(reader.entries().containsKey("h.0.attn.bias"), "the variant carries the buffers");
            assertTrue(reader.entries().containsKey("wte.weight"), "and names without the prefix");
        }

        assertParity(legacy);
        Path rewritten = tmp.resolve("rewritten");
        try (Gpt2Model model = Gpt2CheckpointReader.load(legacy, manager, Device.cpu(), DataType.FLOAT32)) {
            HfCheckpointWriter.save(model, null, rewritten);
        }
        try (SafetensorsReader reader = SafetensorsReader.open(rewritten.resolve("model.safetensors"))) {
            assertFalse(reader.entries().keySet().stream().anyMatch(Gpt2CheckpointTest::isBuffer),
                    "buffers are not parameters: " + reader.entries().keySet());
        }
        assertTensorsIdentical(legacy.resolve("model.safetensors"), rewritten.resolve("model.safetensors"),
                inverse(renamed));
    }

    @Test
    void tiedHeadInTheFileIsSkippedAndStrayTensorsAreNamed() throws Exception {
        Path dir = tmp.resolve("extra");
        Files.createDirectories(dir);
        Files.copy(FIXTURE.resolve("config.json"), dir.resolve("config.json"));
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        try (SafetensorsReader reader = SafetensorsReader.open(FIXTURE.resolve("model.safetensors"))) {
            for (String name : reader.entries().keySet()) {
                tensors.put(name, reader.read(name, manager));
            }
        }
        tensors.put("lm_head.weight", tensors.get("transformer.wte.weight"));
        SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors, Map.of());
        Gpt2CheckpointReader.load(dir, manager, Device.cpu(), DataType.FLOAT32).close();

        tensors.put("transformer.h.1.attn.surprise", manager.zeros(new Shape(2)));
        tensors.remove("transformer.h.1.mlp.c_fc.weight");
        SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors, Map.of());
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> Gpt2CheckpointReader.load(dir, manager, Device.cpu(), DataType.FLOAT32).close());
        assertTrue(e.getMessage().contains("unexpected tensor transformer.h.1.attn.surprise (2)"), e.getMessage());
        assertTrue(e.getMessage().contains("missing tensor transformer.h.1.mlp.c_fc.weight (expected shape (64, 256))"),
                e.getMessage());
    }

    private static void assertParity(Path dir) throws Exception {
        ParityReport report = new ParityChecker(ParityReport.Tolerances.FP32)
                .check(dir, FIXTURE.resolve("parity.safetensors"), Device.cpu());
        assertTrue(report.passed(), () -> report.failures().toString());
        assertTrue(report.checked().contains("greedy_16"), report.checked().toString());
    }

    private static boolean isBuffer(String name) {
        return name.matches("(transformer\\.)?h\\.\\d+\\.attn\\.(masked_)?bias");
    }

    private static Map<String, String> inverse(Map<String, String> map) {
        Map<String, String> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(v, k));
        return out;
    }

    /** Every tensor of {@code expected} (buffers aside) in {@code actual}, under its new name, byte for byte. */
    private void assertTensorsIdentical(Path expected, Path actual, Map<String, String> renamed) throws Exception {
        try (SafetensorsReader a = SafetensorsReader.open(expected);
                SafetensorsReader b = SafetensorsReader.open(actual)) {
            int compared = 0;
            for (TensorEntry e : a.entries().values()) {
                if (isBuffer(e.name())) {
                    continue;
                }
                String name = renamed.getOrDefault(e.name(), e.name());
                TensorEntry f = b.entries().get(name);
                assertTrue(f != null, "missing " + name + " in " + b.entries().keySet());
                assertEquals(e.dtype(), f.dtype(), name);
                assertEquals(e.shape(), f.shape(), name);
                assertArrayEquals(a.read(e.name(), manager).toByteArray(), b.read(name, manager).toByteArray(), name);
                compared++;
            }
            assertEquals(compared, b.entries().size(), "no other tensors: " + b.entries().keySet());
        }
    }
}
