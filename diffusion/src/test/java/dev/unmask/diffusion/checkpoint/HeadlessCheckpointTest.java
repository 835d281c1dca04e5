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
import dev.unmask.diffusion.Fixtures;
import dev.unmask.diffusion.HeadlessFolders;
import dev.unmask.diffusion.HeadlessFolders.Layout;
import dev.unmask.diffusion.model.MaskedLanguageModel;
import dev.unmask.diffusion.run.TextGenerator;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code BertModel} / {@code RobertaModel} checkpoints and sentence-transformers folders (built
 * from the fixtures by {@link HeadlessFolders}) load for training with a fresh masked-LM head, and
 * are refused for generation.
 */
class HeadlessCheckpointTest {
    static final List<String> BERT_HEAD = List.of("cls.predictions.transform.dense.weight",
            "cls.predictions.transform.dense.bias", "cls.predictions.transform.LayerNorm.weight",
            "cls.predictions.transform.LayerNorm.bias", "cls.predictions.bias");

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
    @EnumSource(Layout.class)
    void encoderIsReadExactlyAndTheHeadIsInitialisedFresh(Layout layout) throws Exception {
        Path dir = HeadlessFolders.bert(tmp.resolve(layout.name()), layout);
        try (LoadedCheckpoint loaded = HfCheckpointReader.loadForTraining(dir, manager, Device.cpu(),
                DataType.FLOAT32, 1);
                MaskedLanguageModel reference = HfCheckpointReader.load(Fixtures.model("tiny-bert"), manager,
                        Device.cpu(), DataType.FLOAT32);
                SafetensorsReader parity = SafetensorsReader.open(Fixtures.parityFile("tiny-bert"))) {
            assertEquals(BERT_HEAD, loaded.initialised(), "the tied head: no decoder weight of its own");
            assertTrue(loaded.headless());
            Map<String, NDArray> p = loaded.model().parameters();
            assertEquals(reference.parameters().keySet(), p.keySet());
            for (String name : reference.parameters().keySet()) {
                if (!BERT_HEAD.contains(name)) {
                    assertArrayEquals(reference.parameters().get(name).toByteArray(), p.get(name).toByteArray(), name);
                }
            }
            NDArray hidden = loaded.model().forward(parity.read("input_ids", manager),
                    parity.read("attention_mask", manager), null).hidden();
            float diff = hidden.sub(parity.read("last_hidden", manager)).abs().max().getFloat();
            assertTrue(diff < 1e-4, "last hidden state as transformers computed it: " + diff);

            assertNormal(p.get("cls.predictions.transform.dense.weight"), 0.02);
            assertAll(p.get("cls.predictions.transform.dense.bias"), 0f);
            assertAll(p.get("cls.predictions.transform.LayerNorm.weight"), 1f);
            assertAll(p.get("cls.predictions.transform.LayerNorm.bias"), 0f);
            assertAll(p.get("cls.predictions.bias"), 0f);
        }
    }

    @Test
    void untiedRobertaGetsAFreshDecoderAndTheSeedDecides() throws Exception {
        Path dir = HeadlessFolders.roberta(tmp.resolve("roberta"), false);
        try (LoadedCheckpoint a = HfCheckpointReader.loadForTraining(dir, manager, Device.cpu(), DataType.FLOAT32, 1);
                LoadedCheckpoint b = HfCheckpointReader.loadForTraining(dir, manager, Device.cpu(), DataType.FLOAT32, 1);
                LoadedCheckpoint c = HfCheckpointReader.loadForTraining(dir, manager, Device.cpu(), DataType.FLOAT32,
                        2)) {
            assertEquals(List.of("lm_head.dense.weight", "lm_head.dense.bias", "lm_head.layer_norm.weight",
                    "lm_head.layer_norm.bias", "lm_head.bias", "lm_head.decoder.weight"), a.initialised());
            NDArray decoder = a.model().parameters().get("lm_head.decoder.weight");
            assertNormal(decoder, 0.02);
            assertArrayEquals(decoder.toFloatArray(), b.model().parameters().get("lm_head.decoder.weight").toFloatArray());
            assertFalse(decoder.contentEquals(c.model().parameters().get("lm_head.decoder.weight")));
        }
    }

    @Test
    void generationIsRefusedNamingTheMissingHead() throws Exception {
        Path dir = HeadlessFolders.bert(tmp.resolve("bert"), Layout.BASE_MODEL);
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> TextGenerator.load(dir, Device.cpu(), DataType.FLOAT32).close());
        assertTrue(e.getMessage().contains("no masked-LM head"), e.getMessage());
        for (String name : BERT_HEAD) {
            assertTrue(e.getMessage().contains(name), name + " named: " + e.getMessage());
        }
        assertThrows(CheckpointException.class,
                () -> HfCheckpointReader.load(dir, manager, Device.cpu(), DataType.FLOAT32).close());
    }

    @Test
    void aPartialHeadIsAnErrorEvenForTraining() throws Exception {
        Path dir = HeadlessFolders.bertMissing(tmp.resolve("partial"), "cls.predictions.bias");
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> HfCheckpointReader.loadForTraining(dir, manager, Device.cpu(), DataType.FLOAT32, 1).close());
        assertTrue(e.getMessage().contains("missing tensor cls.predictions.bias"), e.getMessage());
    }

    @Test
    void modulesJsonWithoutATransformerIsNamed() throws Exception {
        Path dir = HeadlessFolders.bert(tmp.resolve("st"), Layout.SENTENCE_TRANSFORMERS_ROOT);
        java.nio.file.Files.writeString(dir.resolve(SentenceTransformersLayout.MODULES),
                "[{\"idx\":0,\"name\":\"0\",\"path\":\"1_Pooling\",\"type\":\"sentence_transformers.models.Pooling\"}]");
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> SentenceTransformersLayout.transformerDir(dir));
        assertTrue(e.getMessage().contains("no sentence_transformers.models.Transformer"), e.getMessage());
    }

    /** Mean about 0 and standard deviation about {@code std}: N(0, std), not zeros or copies. */
    private static void assertNormal(NDArray array, double std) {
        float[] v = array.toFloatArray();
        double sum = 0;
        double squares = 0;
        for (float x : v) {
            sum += x;
            squares += x * x;
        }
        double mean = sum / v.length;
        double sd = Math.sqrt(squares / v.length - mean * mean);
        assertTrue(Math.abs(mean) < 3 * std / Math.sqrt(v.length) + 1e-6, "mean " + mean);
        assertEquals(std, sd, std * 0.1, "standard deviation");
    }

    private static void assertAll(NDArray array, float value) {
        for (float x : array.toFloatArray()) {
            assertEquals(value, x, 0f);
        }
    }
}
