package dev.unmask.diffusion.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.unmask.diffusion.Fixtures;
import dev.unmask.diffusion.model.EncoderConfig;
import dev.unmask.diffusion.model.MaskedLanguageModel;
import dev.unmask.diffusion.model.ModelInitializer;
import dev.unmask.diffusion.model.Presets;
import dev.unmask.diffusion.noise.DiscreteLevels;
import dev.unmask.diffusion.noise.MaskedBatch;
import dev.unmask.diffusion.noise.Masker;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import dev.unmask.diffusion.util.Rng;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The from-scratch recipe (preset init, noise, optimizer) must learn to read context, not just
 * token frequencies. The language here is a successor chain: each token is the previous one plus
 * one (modulo {@link #SYMBOLS}), so a masked token is decided by its neighbours and every token is
 * equally frequent: the unigram baseline is 1/{@value #SYMBOLS}. A model stuck on the unigram
 * plateau (as {@code tiny} once was, for thousands of steps on Brown) fails this test.
 */
class LearnsContextTest {
    static final int SYMBOLS = 64;
    static final int FIRST_ID = 10; // past the special tokens of the fixture tokenizer
    static final int LENGTH = 32;
    static final int BATCH = 16;
    static final int STEPS = 200; // ~12 s; the recipe reaches ~0.55 here, without zero residual branches ~0.03

    @TempDir Path tmp;

    /** Rows {@code <s> k, k+1, ..., </s>} with k random per row. */
    static final class SuccessorChains implements BatchSource {
        private final Random random;
        private final int batch;

        SuccessorChains(long seed, int batch) {
            this.random = new Random(seed);
            this.batch = batch;
        }

        @Override
        public TrainBatch next() {
            long[][] ids = new long[batch][LENGTH];
            long[][] attention = new long[batch][LENGTH];
            for (int b = 0; b < batch; b++) {
                int start = random.nextInt(SYMBOLS);
                ids[b][0] = 0;
                ids[b][LENGTH - 1] = 2;
                for (int i = 1; i < LENGTH - 1; i++) {
                    ids[b][i] = FIRST_ID + (start + i) % SYMBOLS;
                }
                Arrays.fill(attention[b], 1);
            }
            return new TrainBatch(ids, attention, new int[batch]);
        }

        @Override
        public JsonNode position() {
            return IntNode.valueOf(0);
        }

        @Override
        public void restore(JsonNode position) {}
    }

    @Test
    void tinyFromScratchPredictsMaskedTokensFromTheirNeighbours() throws Exception {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
                TextTokenizer tokenizer = TextTokenizer.load(Fixtures.model("tiny-roberta"));
                MaskedLanguageModel model = ModelInitializer.initialize(Presets.roberta("tiny", 1000), manager,
                        Device.cpu(), DataType.FLOAT32, 1)) {
            TrainConfig config = new TrainConfig(STEPS, BATCH, 1, 1e-3, 20, LrSchedule.Decay.LINEAR, 0.01, 1.0, 0.9,
                    0.999, 1e-8, 0, 0, false, new DiscreteLevels(10), 3, Precision.FP32);
            try (Trainer trainer = new Trainer(model, tokenizer, config, new SuccessorChains(5, BATCH), tmp)) {
                trainer.run(p -> {}, () -> false);
            }
            double accuracy = accuracyAt015(model, tokenizer, manager);
            assertTrue(accuracy > 10.0 / SYMBOLS, "masked accuracy at 0.15 is " + accuracy
                    + "; the unigram baseline is " + 1.0 / SYMBOLS);
        }
    }

    /** Argmax accuracy on fresh chains with 15% of tokens masked. */
    private static double accuracyAt015(MaskedLanguageModel model, TextTokenizer tokenizer, NDManager manager) {
        TrainBatch clean = new SuccessorChains(99, 64).next();
        double[] ratios = new double[clean.ids().length];
        Arrays.fill(ratios, 0.15);
        MaskedBatch masked = new Masker(new DiscreteLevels(10), tokenizer.specials(), 0, false)
                .mask(clean.ids(), clean.attention(), clean.promptLengths(), ratios, new Rng(1));
        try (NDManager scope = manager.newSubManager()) {
            NDArray logits = model.logitsAt(scope.create(masked.inputIds()), scope.create(masked.attention()),
                    scope.create(masked.maskedPositions())); // (M, V)
            long[] predicted = logits.argMax(-1).toLongArray(); // (M)
            int right = 0;
            for (int i = 0; i < predicted.length; i++) {
                right += predicted[i] == masked.targets()[i] ? 1 : 0;
            }
            return right / (double) predicted.length;
        }
    }
}
