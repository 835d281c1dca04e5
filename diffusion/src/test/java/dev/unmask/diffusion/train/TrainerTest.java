package dev.unmask.diffusion.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.unmask.diffusion.Fixtures;
import dev.unmask.diffusion.checkpoint.HfCheckpointReader;
import dev.unmask.diffusion.model.EncoderConfig;
import dev.unmask.diffusion.model.MaskedLanguageModel;
import dev.unmask.diffusion.model.ModelInitializer;
import dev.unmask.diffusion.noise.ContinuousTime;
import dev.unmask.diffusion.noise.DiscreteLevels;
import dev.unmask.diffusion.noise.NoiseSchedule;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training loop on the tiny RoBERTa fixture. */
class TrainerTest {
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

    static long[][] rows() {
        // two repeating "sentences", padded to 16 with <pad>=1
        return new long[][] {
            {0, 329, 468, 986, 548, 265, 309, 301, 521, 362, 361, 837, 344, 283, 2, 1},
            {0, 594, 317, 295, 422, 294, 270, 321, 697, 265, 333, 275, 383, 445, 473, 2},
        };
    }

    static TrainConfig config(int steps, int checkpointEvery, NoiseSchedule noise) {
        return config(steps, checkpointEvery, noise, Precision.FP32);
    }

    static TrainConfig config(int steps, int checkpointEvery, NoiseSchedule noise, Precision precision) {
        return new TrainConfig(steps, 4, 1, 3e-3, Math.min(2, steps), LrSchedule.Decay.LINEAR, 0.01, 1.0, 0.9,
                0.999, 1e-8, checkpointEvery, 1, false, noise, 11, precision);
    }

    MaskedLanguageModel model() throws Exception {
        return HfCheckpointReader.load(Fixtures.model("tiny-roberta"), manager, Device.cpu(), DataType.FLOAT32);
    }

    @Test
    void lossFallsOnRepeatedData() throws Exception {
        try (MaskedLanguageModel model = model();
                Trainer trainer = new Trainer(model, tokenizer, config(60, 0, new DiscreteLevels(10)),
                        new CyclingBatches(rows(), 4), tmp.resolve("out"))) {
            List<TrainingProgress> progress = new ArrayList<>();
            TrainingResult result = trainer.run(progress::add, () -> false);
            assertEquals(60, progress.size());
            double first = progress.subList(0, 10).stream().mapToDouble(TrainingProgress::loss).average().orElseThrow();
            double last = progress.subList(50, 60).stream().mapToDouble(TrainingProgress::loss).average().orElseThrow();
            assertTrue(last < first * 0.5, "loss " + first + " -> " + last);
            assertEquals(0.0, progress.get(59).lr(), 1e-12, "linear decay reaches 0 at the last step");
            assertTrue(progress.get(0).tokensPerSecond() > 0);
            assertTrue(Files.exists(result.outputDir().resolve("model.safetensors")));
            assertTrue(Files.exists(result.outputDir().resolve("tokenizer.json")));
        }
    }

    @Test
    void resumedRunReproducesTheUnbrokenLossSequence() throws Exception {
        NoiseSchedule noise = new ContinuousTime(1e-3);
        List<Double> unbroken;
        try (MaskedLanguageModel model = model();
                Trainer trainer = new Trainer(model, tokenizer, config(8, 4, noise), new CyclingBatches(rows(), 4),
                        tmp.resolve("a"))) {
            unbroken = trainer.run(p -> {}, () -> false).losses();
        }
        // a second run that stops after its step-4 checkpoint ...
        Path checkpoint;
        try (MaskedLanguageModel model = model();
                Trainer trainer = new Trainer(model, tokenizer, config(8, 4, noise), new CyclingBatches(rows(), 4),
                        tmp.resolve("b"))) {
            assertThrows(CancellationException.class, () -> trainer.run(p -> {}, () -> trainer.step() >= 4));
            checkpoint = TrainingCheckpoint.directory(tmp.resolve("b"), 4);
        }
        // ... and a fresh process that resumes from it
        List<Double> resumed;
        try (MaskedLanguageModel model = HfCheckpointReader.load(checkpoint, manager, Device.cpu(), DataType.FLOAT32);
                Trainer trainer = new Trainer(model, tokenizer, config(8, 4, noise), new CyclingBatches(rows(), 4),
                        tmp.resolve("b"))) {
            trainer.resumeFrom(checkpoint);
            assertEquals(4, trainer.step());
            resumed = trainer.run(p -> {}, () -> false).losses();
        }
        assertEquals(unbroken.subList(4, 8), resumed, "bit-identical losses after resume");
    }

    @Test
    void nativeMemoryStaysFlat() throws Exception {
        EncoderConfig tiny = HfCheckpointReader.readConfig(Fixtures.model("tiny-roberta"));
        try (MaskedLanguageModel model = ModelInitializer.initialize(tiny, manager, Device.cpu(), DataType.FLOAT32, 1);
                Trainer trainer = new Trainer(model, tokenizer, config(120, 0, new DiscreteLevels(10)),
                        new CyclingBatches(rows(), 4), tmp.resolve("mem"))) {
            int[] counts = new int[121];
            trainer.run(p -> counts[p.step()] = manager.getManagedArrays().size(), () -> false);
            assertEquals(counts[10], counts[120], "arrays alive after step 10 and after step 120");
        }
    }

    @Test
    void divergenceIsReportedNotSilent() throws Exception {
        try (MaskedLanguageModel model = model();
                Trainer trainer = new Trainer(model, tokenizer, config(5, 0, new DiscreteLevels(10)),
                        new CyclingBatches(rows(), 4), tmp.resolve("x"))) {
            // a weight gone to NaN, as a diverged run's would: the first loss is NaN
            model.parameters().get("roberta.embeddings.LayerNorm.weight").muli(Float.NaN);
            List<TrainingProgress> reported = new ArrayList<>();
            ai.djl.TrainingDivergedException e = assertThrows(ai.djl.TrainingDivergedException.class,
                    () -> trainer.run(reported::add, () -> false));
            assertTrue(e.getMessage().contains("at step 1") && e.getMessage().contains("lower learning_rate"),
                    e.getMessage());
            assertEquals(List.of(), reported, "no step is reported with a non-finite loss");
            assertEquals(0, trainer.step());
        }
    }

    @Test
    void gradientsAreZeroAfterEachStep() throws Exception {
        try (MaskedLanguageModel model = model();
                Trainer trainer = new Trainer(model, tokenizer, config(3, 0, new DiscreteLevels(4)),
                        new CyclingBatches(rows(), 4), tmp.resolve("z"))) {
            NDArray word = model.parameters().get("roberta.embeddings.word_embeddings.weight");
            List<Float> sums = new ArrayList<>();
            // progress is reported after the step, while the parameters still require (and hold) gradients
            trainer.run(p -> {
                try (NDArray g = word.getGradient(); NDArray abs = g.abs(); NDArray sum = abs.sum()) {
                    sums.add(sum.getFloat());
                }
            }, () -> false);
            assertEquals(List.of(0f, 0f, 0f), sums, "sum of |gradient| of the word embeddings after each step");
        }
    }
}
