package dev.unmask.diffusion.train;

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
import dev.unmask.diffusion.checkpoint.HfCheckpointReader;
import dev.unmask.diffusion.model.MaskedLanguageModel;
import dev.unmask.diffusion.noise.ContinuousTime;
import dev.unmask.diffusion.noise.DiscreteLevels;
import dev.unmask.diffusion.noise.NoiseSchedule;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fp16 mixed precision: float16 forward/backward, float32 master weights, dynamic loss scale. Runs
 * on the CPU here (PyTorch has float16 kernels there too); the command line and the job service
 * offer it on GPUs only.
 */
class MixedPrecisionTest {
    @TempDir Path tmp;
    NDManager manager;
    TextTokenizer tokenizer;

    @BeforeEach
    void open() throws Exception {
        manager = NDManager.newBaseManager(Device.cpu());
        tokenizer = TextTokenizer.load(Fixtures.model("tiny-roberta"));
    }

    @AfterEach
    void close() {
        tokenizer.close();
        manager.close();
    }

    static TrainConfig fp16(int steps, int checkpointEvery, NoiseSchedule noise) {
        return TrainerTest.config(steps, checkpointEvery, noise, Precision.FP16);
    }

    MaskedLanguageModel model() throws Exception {
        return HfCheckpointReader.load(Fixtures.model("tiny-roberta"), manager, Device.cpu(), DataType.FLOAT32);
    }

    @Test
    void lossFallsAndTheMasterWeightsStayFloat32() throws Exception {
        try (MaskedLanguageModel model = model();
                Trainer trainer = new Trainer(model, tokenizer, fp16(60, 0, new DiscreteLevels(10)),
                        new CyclingBatches(TrainerTest.rows(), 4), tmp.resolve("out"))) {
            List<TrainingProgress> progress = new ArrayList<>();
            trainer.run(progress::add, () -> false);
            double first = progress.subList(0, 10).stream().mapToDouble(TrainingProgress::loss).average().orElseThrow();
            double last = progress.subList(50, 60).stream().mapToDouble(TrainingProgress::loss).average().orElseThrow();
            assertTrue(last < first * 0.5, "loss " + first + " -> " + last);
            model.parameters().values().forEach(p -> assertEquals(DataType.FLOAT32, p.getDataType()));
            assertTrue(trainer.lossScaler().orElseThrow().scale() >= 1, "the scale stays usable");
            try (MaskedLanguageModel saved = HfCheckpointReader.load(tmp.resolve("out"), manager, Device.cpu(),
                    DataType.FLOAT32)) {
                NDArray word = model.parameters().get("roberta.embeddings.word_embeddings.weight");
                assertArrayEquals(word.toFloatArray(),
                        saved.parameters().get("roberta.embeddings.word_embeddings.weight").toFloatArray(), 0f,
                        "the saved model is the float32 master, not the float16 copy");
            }
        }
    }

    @Test
    void anOverflowingStepIsSkippedAndTheScaleHalves() throws Exception {
        try (MaskedLanguageModel model = model();
                Trainer trainer = new Trainer(model, tokenizer, fp16(1, 0, new DiscreteLevels(10)),
                        new CyclingBatches(TrainerTest.rows(), 4), tmp.resolve("x"))) {
            Map<String, float[]> before = snapshot(model);
            LossScaler scaler = trainer.lossScaler().orElseThrow();
            scaler.restore(new LossScaler.Saved(1e30, 0)); // float16 gradients of a loss scaled by 1e30 are infinite
            List<TrainingProgress> progress = new ArrayList<>();
            trainer.run(progress::add, () -> false);
            assertFalse(Double.isFinite(progress.get(0).gradNorm()), "the step saw the overflow");
            assertTrue(Double.isFinite(progress.get(0).loss()), "the reported loss is the unscaled one");
            assertEquals(5e29, scaler.scale(), 1e23);
            before.forEach((name, values) -> assertArrayEquals(values,
                    model.parameters().get(name).toFloatArray(), 0f, name + " must not move on a skipped step"));
        }
    }

    @Test
    void aResumedFp16RunReproducesTheUnbrokenLossSequence() throws Exception {
        NoiseSchedule noise = new ContinuousTime(1e-3);
        List<Double> unbroken;
        try (MaskedLanguageModel model = model();
                Trainer trainer = new Trainer(model, tokenizer, fp16(8, 4, noise), new CyclingBatches(TrainerTest.rows(), 4),
                        tmp.resolve("a"))) {
            unbroken = trainer.run(p -> {}, () -> false).losses();
        }
        Path checkpoint;
        try (MaskedLanguageModel model = model();
                Trainer trainer = new Trainer(model, tokenizer, fp16(8, 4, noise), new CyclingBatches(TrainerTest.rows(), 4),
                        tmp.resolve("b"))) {
            assertThrows(CancellationException.class, () -> trainer.run(p -> {}, () -> trainer.step() >= 4));
            checkpoint = TrainingCheckpoint.directory(tmp.resolve("b"), 4);
        }
        assertTrue(TrainingCheckpoint.readState(checkpoint).lossScale().isPresent(), "the loss scale is saved");
        List<Double> resumed;
        try (MaskedLanguageModel model = HfCheckpointReader.load(checkpoint, manager, Device.cpu(), DataType.FLOAT32);
                Trainer trainer = new Trainer(model, tokenizer, fp16(8, 4, noise), new CyclingBatches(TrainerTest.rows(), 4),
                        tmp.resolve("b"))) {
            trainer.resumeFrom(checkpoint);
            resumed = trainer.run(p -> {}, () -> false).losses();
        }
        assertEquals(unbroken.subList(4, 8), resumed, "bit-identical losses after resume");
    }

    @Test
    void theScalerGrowsAfterCleanStepsAndGivesUpBelowItsFloor() {
        LossScaler scaler = new LossScaler(8, 0, 3);
        scaler.clean();
        scaler.clean();
        assertEquals(8, scaler.scale());
        scaler.clean();
        assertEquals(16, scaler.scale(), "doubles after 3 clean steps");
        assertEquals(0, scaler.cleanSteps());
        scaler.clean();
        assertTrue(scaler.overflow());
        assertEquals(8, scaler.scale());
        assertEquals(0, scaler.cleanSteps(), "an overflow restarts the count");
        LossScaler tiny = new LossScaler(LossScaler.MIN_SCALE, 0, 3);
        assertFalse(tiny.overflow(), "below the floor: diverged");
    }

    private static Map<String, float[]> snapshot(MaskedLanguageModel model) {
        Map<String, float[]> copy = new LinkedHashMap<>();
        model.parameters().forEach((name, p) -> copy.put(name, p.toFloatArray()));
        return copy;
    }
}
