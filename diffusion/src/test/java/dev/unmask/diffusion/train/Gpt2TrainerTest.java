package dev.unmask.diffusion.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.unmask.diffusion.Fixtures;
import dev.unmask.diffusion.checkpoint.Gpt2CheckpointReader;
import dev.unmask.diffusion.checkpoint.SafetensorsReader;
import dev.unmask.diffusion.model.Gpt2Model;
import dev.unmask.diffusion.model.MaskedLmLoss;
import dev.unmask.diffusion.noise.DiscreteLevels;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import dev.unmask.diffusion.util.Json;
import dev.unmask.diffusion.util.Rng;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one training loop with GPT-2's next-token objective, on the tiny-gpt2 fixture. */
class Gpt2TrainerTest {
    static final Path FIXTURE = Fixtures.gpt2("tiny-gpt2");
    static final String QKV = "transformer.h.0.attn.c_attn.weight";

    @TempDir Path tmp;
    NDManager manager;
    TextTokenizer tokenizer;

    @BeforeEach
    void open() throws Exception {
        manager = NDManager.newBaseManager(Device.cpu());
        tokenizer = TextTokenizer.load(FIXTURE);
    }

    @AfterEach
    void close() {
        tokenizer.close();
        manager.close();
    }

    static TrainConfig config(int steps, int checkpointEvery, Precision precision, double weightDecay) {
        return new TrainConfig(steps, 4, 1, 3e-3, Math.min(2, steps), LrSchedule.Decay.LINEAR, weightDecay, 1.0, 0.9,
                0.999, 1e-8, checkpointEvery, 0, false, new DiscreteLevels(10), 11, precision);
    }

    Gpt2Model model(DataType type) throws Exception {
        return Gpt2CheckpointReader.load(FIXTURE, manager, Device.cpu(), type);
    }

    Trainer trainer(Gpt2Model model, TrainConfig config, String out) {
        return new Trainer(model, new NextToken(), tokenizer, config, new CyclingBatches(TrainerTest.rows(), 4),
                tmp.resolve(out), RunConfig.of(config));
    }

    /** The fixture's texts as a batch: right padding, no prompt. */
    static TrainBatch parityBatch(SafetensorsReader parity, NDManager manager) throws Exception {
        long[] ids = parity.read("input_ids", manager).toLongArray();
        long[] mask = parity.read("attention_mask", manager).toLongArray();
        int t = ids.length / 2;
        long[][] rows = {java.util.Arrays.copyOfRange(ids, 0, t), java.util.Arrays.copyOfRange(ids, t, 2 * t)};
        long[][] attention = {java.util.Arrays.copyOfRange(mask, 0, t), java.util.Arrays.copyOfRange(mask, t, 2 * t)};
        return new TrainBatch(rows, attention, new int[2]);
    }

    @Test
    void theObjectiveIsGpt2sLossFromLabels() throws Exception {
        try (Gpt2Model model = model(DataType.FLOAT32);
                SafetensorsReader parity = SafetensorsReader.open(FIXTURE.resolve("parity.safetensors"));
                NDManager scope = manager.newSubManager()) {
            TrainBatch batch = parityBatch(parity, scope);
            float expected = parity.read("loss", scope).toFloatArray()[0];
            float loss = new NextToken().loss(model, batch, new Rng(1), scope).getFloat();
            assertEquals(expected, loss, Math.abs(expected) * 1e-5, "next-token cross-entropy over non-padding labels");
            long[] labels = parity.read("labels", scope).toLongArray(); // (2 * T)
            long[][] ours = NextToken.labels(batch);
            int t = ours[0].length;
            for (int b = 0; b < 2; b++) {
                assertEquals(MaskedLmLoss.IGNORE, ours[b][0], "position 0 has nothing before it");
                assertArrayEquals(java.util.Arrays.copyOfRange(labels, b * t + 1, (b + 1) * t),
                        java.util.Arrays.copyOfRange(ours[b], 1, t), "labels: the ids, -100 at padding");
            }
        }
    }

    @Test
    void aPromptIsContextNotATarget() {
        TrainBatch batch = new TrainBatch(new long[][] {{2, 7, 8, 9, 2, 1}}, new long[][] {{1, 1, 1, 1, 1, 0}},
                new int[] {3});
        long ignore = MaskedLmLoss.IGNORE;
        assertArrayEquals(new long[] {ignore, ignore, ignore, 9, 2, ignore}, NextToken.labels(batch)[0]);
    }

    @Test
    void fineTuningLowersTheLoss() throws Exception {
        try (Gpt2Model model = model(DataType.FLOAT32); Trainer trainer = trainer(model, config(20, 0, Precision.FP32, 0.01),
                "out")) {
            List<TrainingProgress> progress = new ArrayList<>();
            TrainingResult result = trainer.run(progress::add, () -> false);
            assertLossFalls(progress, 0.5);
            try (Gpt2Model saved = Gpt2CheckpointReader.load(result.outputDir(), manager, Device.cpu(),
                    DataType.FLOAT32)) {
                assertArrayEquals(model.parameters().get(QKV).toFloatArray(), saved.parameters().get(QKV).toFloatArray(),
                        0f, "the output folder is a GPT2LMHeadModel folder of the trained weights");
                assertEquals("gpt2", Json.read(result.outputDir().resolve("config.json")).path("model_type").asText());
            }
        }
    }

    @Test
    void resumedRunReproducesTheUnbrokenLossSequence() throws Exception {
        List<Double> unbroken;
        try (Gpt2Model model = model(DataType.FLOAT32); Trainer trainer = trainer(model, config(8, 4, Precision.FP32,
                0.01), "a")) {
            unbroken = trainer.run(p -> {}, () -> false).losses();
        }
        Path checkpoint;
        try (Gpt2Model model = model(DataType.FLOAT32); Trainer trainer = trainer(model, config(8, 4, Precision.FP32,
                0.01), "b")) {
            assertThrows(CancellationException.class, () -> trainer.run(p -> {}, () -> trainer.step() >= 4));
            checkpoint = TrainingCheckpoint.directory(tmp.resolve("b"), 4);
        }
        List<Double> resumed;
        try (Gpt2Model model = Gpt2CheckpointReader.load(checkpoint, manager, Device.cpu(), DataType.FLOAT32);
                Trainer trainer = trainer(model, config(8, 4, Precision.FP32, 0.01), "b")) {
            trainer.resumeFrom(checkpoint);
            assertEquals(4, trainer.step());
            resumed = trainer.run(p -> {}, () -> false).losses();
        }
        assertEquals(unbroken.subList(4, 8), resumed, "bit-identical losses after resume");
    }

    /** A budget stops the run between steps, well before its last step, and the final model is still written. */
    @Test
    void aTimeBudgetStopsTheRunAndSavesTheFinalModel() throws Exception {
        double seconds = 0.3;
        try (Gpt2Model model = model(DataType.FLOAT32); Trainer trainer = trainer(model, config(1_000_000, 0,
                Precision.FP32, 0.01), "budget")) {
            List<TrainingProgress> progress = new ArrayList<>();
            TrainingResult result = trainer.run(progress::add, () -> false, new TimeBudget(seconds));
            assertTrue(result.steps() >= 1 && result.steps() < 1_000_000, "steps " + result.steps());
            assertEquals(result.steps(), progress.size());
            TrainingProgress last = progress.get(progress.size() - 1);
            double beforeLast = progress.size() > 1 ? progress.get(progress.size() - 2).elapsedSeconds() : 0;
            assertTrue(beforeLast < seconds, "a step began after the budget was spent: " + beforeLast + " s");
            assertTrue(last.elapsedSeconds() >= seconds || result.steps() == 1,
                    "stopped at " + last.elapsedSeconds() + " s, before the budget");
            assertEquals((15 + 16) * 2L * result.steps(), result.tokens(),
                    "real tokens of every batch taken (rows of 15 and 16 tokens, twice each per batch)");
            assertTrue(java.nio.file.Files.isRegularFile(result.outputDir().resolve("model.safetensors")));
        }
    }

    /** A cast of the float32 attention probabilities back to float16 would leave queries and keys without gradient. */
    @Test
    void float16GradientsReachQueriesAndKeys() throws Exception {
        try (Gpt2Model half = model(DataType.FLOAT16);
                SafetensorsReader parity = SafetensorsReader.open(FIXTURE.resolve("parity.safetensors"));
                NDManager scope = manager.newSubManager()) {
            TrainBatch batch = parityBatch(parity, scope);
            NDArray qkv = half.parameters().get(QKV); // (E, 3E): queries, keys, values side by side
            half.parameters().values().forEach(p -> p.setRequiresGradient(true));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = new NextToken().loss(half, batch, new Rng(1), scope);
                assertTrue(Float.isFinite(loss.getFloat()), "loss " + loss.getFloat());
                collector.backward(loss);
            }
            int e = half.config().embedSize();
            NDArray grad = qkv.getGradient().toType(DataType.FLOAT32, false); // (E, 3E)
            for (int part = 0; part < 3; part++) {
                float norm = grad.get(new NDIndex(":, " + part * e + ":" + (part + 1) * e)).abs().sum().getFloat();
                assertTrue(norm > 0 && Float.isFinite(norm), "gradient of " + List.of("queries", "keys", "values").get(part)
                        + ": " + norm);
            }
            half.parameters().values().forEach(p -> p.setRequiresGradient(false));
        }
    }

    @Test
    void fp16TrainingLowersTheLossAndKeepsFloat32Masters() throws Exception {
        try (Gpt2Model model = model(DataType.FLOAT32); Trainer trainer = trainer(model, config(12, 0, Precision.FP16,
                0.01), "half")) {
            trainer.lossScaler().orElseThrow().restore(new LossScaler.Saved(1024, 0));
            List<TrainingProgress> progress = new ArrayList<>();
            trainer.run(progress::add, () -> false);
            assertLossFalls(progress, 0.7);
            model.parameters().values().forEach(p -> assertEquals(DataType.FLOAT32, p.getDataType()));
        }
    }

    /** The mean loss of the last quarter of the steps is below {@code factor} times that of the first quarter. */
    static void assertLossFalls(List<TrainingProgress> progress, double factor) {
        int quarter = progress.size() / 4;
        double first = progress.subList(0, quarter).stream().mapToDouble(TrainingProgress::loss).average().orElseThrow();
        double last = progress.subList(progress.size() - quarter, progress.size()).stream()
                .mapToDouble(TrainingProgress::loss).average().orElseThrow();
        System.out.println("loss " + progress.stream().map(p -> String.format("%.3f", p.loss())).toList());
        assertTrue(last < first * factor, "loss " + first + " -> " + last);
    }
}
