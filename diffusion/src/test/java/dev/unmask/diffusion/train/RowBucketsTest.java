package dev.unmask.diffusion.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.unmask.diffusion.Fixtures;
import dev.unmask.diffusion.checkpoint.HfCheckpointReader;
import dev.unmask.diffusion.model.MaskedLanguageModel;
import dev.unmask.diffusion.model.MaskedLmLoss;
import dev.unmask.diffusion.noise.ContinuousTime;
import dev.unmask.diffusion.noise.MaskedBatch;
import dev.unmask.diffusion.noise.Masker;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import dev.unmask.diffusion.util.Rng;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Padding the masked rows to a bucket: few shapes, and nothing learnt changes. */
class RowBucketsTest {
    @Test
    void everyCountFitsOneOfSixteenSizes() {
        for (int max : new int[] {16, 512, 2048, 1000}) {
            Set<Integer> sizes = new HashSet<>();
            for (int rows = 1; rows <= max; rows++) {
                int size = RowBuckets.size(rows, max);
                assertTrue(size >= rows && size % 8 == 0, rows + " -> " + size);
                assertTrue(size - rows < Math.max(8, max / 16 + 8), "at most one quantum of padding");
                sizes.add(size);
            }
            assertTrue(sizes.size() <= RowBuckets.BUCKETS, max + ": " + sizes);
        }
        assertEquals(0, RowBuckets.size(0, 512));
        assertEquals(32, RowBuckets.size(1, 512));
        assertEquals(512, RowBuckets.size(512, 512));
    }

    @Test
    void paddingKeepsTheBatchAndRefusesToShrink() {
        MaskedBatch batch = new MaskedBatch(new long[][] {{0, 4, 2}}, new long[][] {{1, 1, 1}}, new long[] {1},
                new long[] {7}, new float[] {2f}, 1.0, 1);
        MaskedBatch padded = batch.paddedTo(3);
        assertEquals(3, padded.maskedPositions().length);
        assertEquals(7, padded.targets()[0]);
        assertEquals(0f, padded.weights()[1]);
        assertEquals(0f, padded.weights()[2]);
        assertEquals(1.0, padded.normalizer());
        assertTrue(batch.paddedTo(1) == batch);
        assertThrows(IllegalArgumentException.class, () -> batch.paddedTo(0));
    }

    @Test
    void paddedRowsChangeNeitherLossNorGradients() throws Exception {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
                TextTokenizer tokenizer = TextTokenizer.load(Fixtures.model("tiny-roberta"));
                MaskedLanguageModel model = HfCheckpointReader.load(Fixtures.model("tiny-roberta"), manager,
                        Device.cpu(), DataType.FLOAT32)) {
            TrainBatch rows = new CyclingBatches(TrainerTest.rows(), 2).next(); // the two rows, <pad> unattended
            Masker masker = new Masker(new ContinuousTime(1e-3), tokenizer.specials(), 0, false);
            MaskedBatch batch = masker.mask(rows.ids(), rows.attention(), rows.promptLengths(), new Rng(3));
            int m = batch.maskedPositions().length;
            assertTrue(m > 0 && RowBuckets.size(m, 32) > m, "the draw leaves room to pad: m=" + m);
            MaskedBatch padded = batch.paddedTo(RowBuckets.size(m, 32));

            Map<String, float[]> plain = new LinkedHashMap<>();
            float plainLoss = lossAndGradients(model, manager, batch, plain);
            Map<String, float[]> bucketed = new LinkedHashMap<>();
            float paddedLoss = lossAndGradients(model, manager, padded, bucketed);

            assertEquals(plainLoss, paddedLoss, 1e-6 * Math.abs(plainLoss));
            for (String name : plain.keySet()) {
                float[] a = plain.get(name);
                float[] b = bucketed.get(name);
                double scale = 1e-12;
                for (float v : a) {
                    scale = Math.max(scale, Math.abs(v));
                }
                for (int i = 0; i < a.length; i++) {
                    assertEquals(a[i], b[i], 1e-5 * scale, name + "[" + i + "]");
                }
            }
        }
    }

    /** The trainer's loss on {@code batch} and every parameter's gradient, copied out (then zeroed). */
    private static float lossAndGradients(MaskedLanguageModel model, NDManager manager, MaskedBatch batch,
            Map<String, float[]> gradients) {
        Map<String, NDArray> params = model.parameters();
        params.values().forEach(p -> p.setRequiresGradient(true));
        try (NDManager scope = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray logits = model.logitsAt(scope.create(batch.inputIds()), scope.create(batch.attention()),
                    scope.create(batch.maskedPositions())); // (M, V)
            NDArray loss = MaskedLmLoss.weightedCrossEntropy(logits, scope.create(batch.targets()),
                    scope.create(batch.weights()), batch.normalizer()); // ()
            collector.backward(loss);
            params.forEach((name, p) -> {
                try (NDArray g = p.getGradient()) {
                    gradients.put(name, g.toFloatArray());
                    g.muli(0); // gradients accumulate: the next call starts from zero
                }
            });
            return loss.getFloat();
        } finally {
            params.values().forEach(p -> p.setRequiresGradient(false));
        }
    }
}
