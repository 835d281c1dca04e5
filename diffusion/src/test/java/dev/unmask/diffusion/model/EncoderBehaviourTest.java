package dev.unmask.diffusion.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.diffusion.Fixtures;
import dev.unmask.diffusion.checkpoint.HfCheckpointReader;
import dev.unmask.diffusion.util.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Properties of the forward pass that hold for any weights. */
class EncoderBehaviourTest {
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
    void robertaPositionsSkipPaddingSoLeftPaddingChangesNothing() throws Exception {
        try (MaskedLanguageModel model = load("tiny-roberta"); NDManager call = manager.newSubManager()) {
            NDArray plain = call.create(new long[][] {{0, 329, 468, 986, 2}});
            NDArray leftPadded = call.create(new long[][] {{1, 1, 0, 329, 468, 986, 2}});
            NDArray mask = call.create(new long[][] {{0, 0, 1, 1, 1, 1, 1}});
            float[] a = model.forward(plain, null, null).logits().toFloatArray();
            float[] b = model.forward(leftPadded, mask, null).logits().get(new NDIndex(":, 2:, :")).toFloatArray();
            assertArrayEquals(a, b, 1e-5f);
        }
    }

    @Test
    void rightPaddingDoesNotChangeRealPositions() throws Exception {
        try (MaskedLanguageModel model = load("tiny-bert"); NDManager call = manager.newSubManager()) {
            NDArray plain = call.create(new long[][] {{2, 95, 41, 767, 3}});
            NDArray padded = call.create(new long[][] {{2, 95, 41, 767, 3, 0, 0}});
            NDArray mask = call.create(new long[][] {{1, 1, 1, 1, 1, 0, 0}});
            float[] a = model.forward(plain, null, null).hidden().toFloatArray();
            float[] b = model.forward(padded, mask, null).hidden().get(new NDIndex(":, :5, :")).toFloatArray();
            assertArrayEquals(a, b, 1e-5f);
        }
    }

    @Test
    void logitsOfSelectedRowsEqualFullLogits() throws Exception {
        try (MaskedLanguageModel model = load("tiny-roberta"); NDManager call = manager.newSubManager()) {
            NDArray ids = call.create(new long[][] {{0, 329, 4, 986, 4, 2}});
            EncoderOutput out = model.forward(ids, null, null);
            NDArray rows = out.hidden().get(new NDIndex("0, 2:5:2, :")); // (2, H): the masks
            float[] partial = model.logits(rows).toFloatArray();
            float[] full = out.logits().get(new NDIndex("0, 2:5:2, :")).toFloatArray();
            assertArrayEquals(full, partial, 1e-6f);
        }
    }

    @Test
    void logitsAtFlatPositionsPickTheRightRowOfEachSequence() throws Exception {
        try (MaskedLanguageModel model = load("tiny-roberta"); NDManager call = manager.newSubManager()) {
            NDArray ids = call.create(new long[][] {{0, 329, 4, 986, 2}, {0, 468, 986, 4, 2}, {0, 4, 4, 329, 2}});
            NDArray mask = call.create(new long[][] {{1, 1, 1, 1, 1}, {1, 1, 1, 1, 1}, {1, 1, 1, 1, 1}});
            long[] flat = {2, 8, 11, 12, 5}; // (row, col): (0,2) (1,3) (2,1) (2,2) (1,0)
            float[] picked = model.logitsAt(ids, mask, call.create(flat)).toFloatArray();
            NDArray full = model.forward(ids, mask, null).logits(); // (3, 5, V)
            long vocab = full.getShape().get(2);
            for (int m = 0; m < flat.length; m++) {
                float[] expected = full.get(flat[m] / 5).get(flat[m] % 5).toFloatArray();
                float[] actual = java.util.Arrays.copyOfRange(picked, (int) (m * vocab), (int) ((m + 1) * vocab));
                assertArrayEquals(expected, actual, 1e-5f, "masked position " + m);
            }
        }
    }

    @Test
    void forwardFreesItsTemporaries() throws Exception {
        try (MaskedLanguageModel model = load("tiny-roberta"); NDManager call = manager.newSubManager()) {
            NDArray ids = call.create(new long[][] {{0, 329, 4, 986, 4, 2}});
            model.forward(ids, null, null);
            int after = call.getManagedArrays().size();
            for (int i = 0; i < 5; i++) {
                model.forward(ids, null, null);
            }
            // ids + two outputs per call; nothing else is left behind in the caller's manager
            assertEquals(after + 5 * 2, call.getManagedArrays().size());
            assertEquals(model.parameters().size(), model.manager().getManagedArrays().size());
        }
    }

    @Test
    void geluNewIsTheTanhApproximation() {
        float[] xs = {-3f, -1f, -0.5f, 0f, 0.3f, 1f, 2.5f};
        float[] y = HiddenAct.GELU_NEW.apply(manager.create(xs)).toFloatArray();
        for (int i = 0; i < xs.length; i++) {
            double x = xs[i];
            double expected = 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            assertEquals(expected, y[i], 1e-6, "x=" + x);
        }
        float[] exact = HiddenAct.GELU.apply(manager.create(xs)).toFloatArray();
        assertEquals(0.8413447, exact[5], 1e-6); // 1 * Phi(1)
    }

    @Test
    void sequencesLongerThanThePositionTableAreRefused() throws Exception {
        try (MaskedLanguageModel model = load("tiny-roberta"); NDManager call = manager.newSubManager()) {
            NDArray ids = call.ones(new ai.djl.ndarray.types.Shape(1, 65), DataType.INT64);
            Exception e = assertThrows(IllegalArgumentException.class, () -> model.forward(ids, null, null));
            assertTrue(e.getMessage().contains("exceeds the model's 64 positions"), e.getMessage());
        }
    }

    @Test
    void configErrorsNameFieldValueAndSupport() throws Exception {
        ObjectNode base = (ObjectNode) Json.read(Fixtures.model("tiny-roberta").resolve("config.json"));
        assertMessage(base.deepCopy().put("model_type", "gpt2"), "'model_type' = \"gpt2\"", "roberta, bert");
        assertMessage(base.deepCopy().put("num_attention_heads", 5), "'num_attention_heads' = 5",
                "a divisor of hidden_size (64)");
        assertMessage(base.deepCopy().put("position_embedding_type", "relative_key"),
                "'position_embedding_type' = \"relative_key\"", "absolute");
        assertMessage((ObjectNode) base.deepCopy().without("vocab_size"), "'vocab_size'", "required");
        assertMessage(base.deepCopy().put("pad_token_id", 5000), "'pad_token_id' = 5000", "[0, vocab_size=1000)");
        assertMessage(base.deepCopy().put("hidden_size", "big"), "'hidden_size' = \"big\"", "an integer");
    }

    private static void assertMessage(ObjectNode config, String... parts) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> EncoderConfig.fromJson(config));
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), e.getMessage() + " lacks " + part);
        }
    }

    private MaskedLanguageModel load(String name) throws Exception {
        return HfCheckpointReader.load(Fixtures.model(name), manager, Device.cpu(), DataType.FLOAT32);
    }
}
