package dev.unmask.diffusion.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.unmask.diffusion.Fixtures;
import dev.unmask.diffusion.checkpoint.HfCheckpointReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The generation forward ({@link MaskedLanguageModel#predictAt}) gives the training forward's logits. */
class InferencePassTest {
    NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** Both paths over the same canvases: every logit equal to 1e-5. */
    void assertSameLogits(String fixture, long[][] ids, long[][] attention, long[] positions) throws Exception {
        try (MaskedLanguageModel model = HfCheckpointReader.load(Fixtures.model(fixture), manager, Device.cpu(),
                DataType.FLOAT32); NDManager call = manager.newSubManager()) {
            float[] expected = model.logitsAt(call.create(ids), call.create(attention), call.create(positions))
                    .toFloatArray();
            NDArray actual = model.predictAt(call, ids, attention, positions);
            assertEquals(positions.length, actual.getShape().get(0));
            assertArrayEquals(expected, actual.toFloatArray(), 1e-5f, fixture);
        }
    }

    @Test
    void robertaUnpaddedCanvasesGiveTheTrainingLogits() throws Exception {
        long[][] ids = {{0, 329, 4, 986, 4, 2}, {0, 468, 986, 4, 4, 2}};
        long[][] attention = {{1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 1}};
        assertSameLogits("tiny-roberta", ids, attention, new long[] {2, 4, 9, 10});
    }

    @Test
    void robertaPaddedCanvasesAndAPadTokenInsideOneGiveTheTrainingLogits() throws Exception {
        // row 1 is shorter (padded at the end), row 0 holds a pad token (id 1) in the middle, which
        // RoBERTa's positions skip
        long[][] ids = {{0, 329, 1, 986, 4, 2}, {0, 468, 4, 2, 1, 1}};
        long[][] attention = {{1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 0, 0}};
        assertSameLogits("tiny-roberta", ids, attention, new long[] {4, 1, 8});
    }

    @Test
    void bertPaddedCanvasesGiveTheTrainingLogits() throws Exception {
        long[][] ids = {{2, 95, 4, 767, 3, 0, 0}, {2, 4, 41, 4, 767, 4, 3}};
        long[][] attention = {{1, 1, 1, 1, 1, 0, 0}, {1, 1, 1, 1, 1, 1, 1}};
        assertSameLogits("tiny-bert", ids, attention, new long[] {2, 8, 10, 12});
    }

    @Test
    void leavesOnlyItsResultBehind() throws Exception {
        try (MaskedLanguageModel model = HfCheckpointReader.load(Fixtures.model("tiny-roberta"), manager, Device.cpu(),
                DataType.FLOAT32); NDManager call = manager.newSubManager()) {
            long[][] ids = {{0, 329, 4, 986, 4, 2}};
            long[][] attention = {{1, 1, 1, 1, 1, 1}};
            model.predictAt(call, ids, attention, new long[] {2, 4});
            int models = model.manager().getManagedArrays().size();
            for (int i = 0; i < 5; i++) {
                model.predictAt(call, ids, attention, new long[] {2, 4});
            }
            assertEquals(1 + 5, call.getManagedArrays().size(), "one (M, V) result per call");
            assertEquals(models, model.manager().getManagedArrays().size(), "the model's own constants made once");
        }
    }

    @Test
    void canvasesLongerThanThePositionTableAreRefused() throws Exception {
        try (MaskedLanguageModel model = HfCheckpointReader.load(Fixtures.model("tiny-roberta"), manager, Device.cpu(),
                DataType.FLOAT32); NDManager call = manager.newSubManager()) {
            long[][] ids = {new long[65]};
            long[][] attention = {new long[65]};
            Exception e = assertThrows(IllegalArgumentException.class,
                    () -> model.predictAt(call, ids, attention, new long[] {0}));
            assertTrue(e.getMessage().contains("exceeds the model's 64 positions"), e.getMessage());
        }
    }
}
