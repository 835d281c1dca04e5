package dev.unmask.diffusion.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.unmask.diffusion.tokenizer.SpecialTokens;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The strategies' bookkeeping against a model with known logits. */
class GeneratorTest {
    static final SpecialTokens SPECIALS = new SpecialTokens(1, 4, 0, 2, 0, 2, 3);
    static final long[] PROMPT = {0, 20, 21};
    NDManager manager;
    FakeDenoiser model;
    Generator generator;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu());
        model = new FakeDenoiser();
        generator = new Generator(model, SPECIALS);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    static GenerationConfig config(Strategy strategy, int steps, double temperature, int blockSize) {
        return new GenerationConfig(strategy, steps, temperature, 0, 1.0, 0.9, blockSize, true);
    }

    List<GenerationResult> run(GenerationConfig config, List<Frame> frames, CanvasRow... rows) {
        return generator.generate(manager, List.of(rows), config, frames::add, () -> false);
    }

    @Test
    void greedyIsDeterministicAndFillsEveryMask() {
        for (Strategy s : Strategy.values()) {
            GenerationResult a = run(config(s, 4, 0, 0), new ArrayList<>(), CanvasRow.prompted(PROMPT, 8, 4, 1)).get(0);
            GenerationResult b = run(config(s, 4, 0, 0), new ArrayList<>(), CanvasRow.prompted(PROMPT, 8, 4, 99)).get(0);
            assertArrayEquals(a.ids(), b.ids(), s + ": temperature 0 ignores the seed");
            assertArrayEquals(new long[] {0, 20, 21, 13, 14, 15, 16, 17, 18, 19, 20}, a.ids(), s.toString());
        }
    }

    @Test
    void confidenceCommitsAboveThresholdAndAtLeastOnePerStep() {
        List<Frame> frames = new ArrayList<>();
        // threshold 0.9 is never reached by this model: exactly one commit per step, most confident first
        GenerationResult r = run(config(Strategy.CONFIDENCE, 1, 0, 0), frames, CanvasRow.prompted(PROMPT, 5, 4, 1)).get(0);
        assertEquals(5, r.steps());
        assertEquals(5, frames.size());
        assertArrayEquals(new int[] {7}, frames.get(0).changed(), "the last column is the most confident");
        assertArrayEquals(new int[] {3}, frames.get(4).changed());
        assertEquals(0, frames.get(4).masked());
        GenerationConfig low = new GenerationConfig(Strategy.CONFIDENCE, 1, 0, 0, 1.0, 0.01, 0, true);
        GenerationResult fast = run(low, new ArrayList<>(), CanvasRow.prompted(PROMPT, 5, 4, 1)).get(0);
        assertEquals(1, fast.steps(), "a low threshold commits everything at once");
    }

    @Test
    void topkSpreadsMasksEvenlyOverSteps() {
        List<Frame> frames = new ArrayList<>();
        run(config(Strategy.TOPK, 3, 0, 0), frames, CanvasRow.prompted(PROMPT, 8, 4, 1));
        assertEquals(List.of(3, 3, 2), frames.stream().map(f -> f.changed().length).toList());
        assertEquals(List.of(5, 2, 0), frames.stream().map(Frame::masked).toList());
    }

    @Test
    void refineRemasksAShrinkingFractionAndEndsUnmasked() {
        List<Frame> frames = new ArrayList<>();
        GenerationResult r = run(config(Strategy.REFINE, 4, 0, 0), frames, CanvasRow.prompted(PROMPT, 8, 4, 1)).get(0);
        assertEquals(List.of(6, 4, 2, 0), frames.stream().map(Frame::masked).toList(),
                "floor((1 - s/4) * 8) positions re-masked after step s");
        assertEquals(4, r.steps());
        assertEquals(4, model.calls);
        assertEquals(32, model.positionsAsked, "refine predicts every generated position each step");
    }

    @Test
    void onlyMaskedPositionsGetLogits() {
        run(config(Strategy.TOPK, 4, 0, 0), new ArrayList<>(), CanvasRow.prompted(PROMPT, 8, 4, 1));
        assertEquals(8 + 6 + 4 + 2, model.positionsAsked);
    }

    @Test
    void blocksAreFilledLeftToRight() {
        List<Frame> frames = new ArrayList<>();
        run(config(Strategy.CONFIDENCE, 1, 0, 3), frames, CanvasRow.prompted(PROMPT, 6, 4, 1));
        int[] order = frames.stream().mapToInt(f -> f.changed()[0]).toArray();
        assertArrayEquals(new int[] {5, 4, 3, 8, 7, 6}, order, "block [3,6) completes before block [6,9) starts");
    }

    @Test
    void samplingIsSeededPerCanvasAndIndependentOfTheBatch() {
        GenerationConfig hot = config(Strategy.TOPK, 4, 2.0, 0);
        long[] alone = run(hot, new ArrayList<>(), CanvasRow.prompted(PROMPT, 10, 4, 7)).get(0).ids();
        List<GenerationResult> batch = run(hot, new ArrayList<>(),
                CanvasRow.prompted(new long[] {0, 30}, 4, 4, 5),
                CanvasRow.prompted(PROMPT, 10, 4, 7));
        assertArrayEquals(alone, batch.get(1).ids(), "same seed, same text, whatever the batch");
        long[] again = run(hot, new ArrayList<>(), CanvasRow.prompted(PROMPT, 10, 4, 7)).get(0).ids();
        assertArrayEquals(alone, again);
        long[] other = run(hot, new ArrayList<>(), CanvasRow.prompted(PROMPT, 10, 4, 8)).get(0).ids();
        assertFalse(Arrays.equals(alone, other), "another seed, another text (temperature 2 over 64 tokens)");
        assertEquals(6, batch.get(0).ids().length, "a shorter canvas keeps its own length");
    }

    @Test
    void topKOfOneIsGreedyEvenWhenHot() {
        GenerationConfig hotTop1 = new GenerationConfig(Strategy.TOPK, 4, 5.0, 1, 1.0, 0.9, 0, true);
        long[] sampled = run(hotTop1, new ArrayList<>(), CanvasRow.prompted(PROMPT, 8, 4, 3)).get(0).ids();
        long[] greedy = run(config(Strategy.TOPK, 4, 0, 0), new ArrayList<>(), CanvasRow.prompted(PROMPT, 8, 4, 3)).get(0).ids();
        assertArrayEquals(greedy, sampled);
    }

    @Test
    void infillingKeepsTheTemplate() {
        long[] template = {0, 20, 4, 4, 21, 4, 2};
        GenerationResult r = run(config(Strategy.CONFIDENCE, 1, 0, 0), new ArrayList<>(),
                CanvasRow.infill(template, 4, 1)).get(0);
        assertArrayEquals(new long[] {0, 20, 12, 13, 21, 15, 2}, r.ids());
        assertArrayEquals(new long[] {12, 13, 15}, r.generated());
    }

    @Test
    void tailAfterEndOfTextIsTrimmed() {
        CanvasRow row = CanvasRow.prompted(PROMPT, 5, 4, 1);
        long[] ids = {0, 20, 21, 40, 41, 2, 42, 1};
        assertArrayEquals(new long[] {40, 41}, generator.trimTail(ids, row));
        long[] padded = {0, 20, 21, 40, 1, 1, 1, 1};
        assertArrayEquals(new long[] {40}, generator.trimTail(padded, row));
    }

    @Test
    void specialTokensAreNeverPredictedWhenSuppressed() {
        // the model's favourite at column 0 of a fresh canvas would be token 10; force mask/start to win
        Denoiser loud = new FakeDenoiser() {
            @Override
            public ai.djl.ndarray.NDArray logits(NDManager m, long[][] ids, long[][] att, long[] positions) {
                ai.djl.ndarray.NDArray l = super.logits(m, ids, att, positions);
                l.set(new ai.djl.ndarray.index.NDIndex(":, 4"), 100f);
                l.set(new ai.djl.ndarray.index.NDIndex(":, 0"), 90f);
                return l;
            }
        };
        long[] ids = new Generator(loud, SPECIALS).generate(manager, List.of(CanvasRow.prompted(PROMPT, 6, 4, 1)),
                config(Strategy.TOPK, 3, 0, 0), FrameListener.NONE, () -> false).get(0).ids();
        for (int i = 3; i < ids.length; i++) {
            assertNotEquals(4, ids[i]);
            assertNotEquals(0, ids[i]);
        }
    }

    @Test
    void cancellationStopsBetweenSteps() {
        int[] steps = {0};
        assertThrows(CancellationException.class, () -> generator.generate(manager,
                List.of(CanvasRow.prompted(PROMPT, 8, 4, 1)), config(Strategy.TOPK, 8, 0, 0),
                f -> steps[0]++, () -> steps[0] >= 2));
        assertEquals(2, steps[0]);
    }

    @Test
    void canvasesLongerThanTheModelAreRefused() {
        Exception e = assertThrows(IllegalArgumentException.class,
                () -> run(config(Strategy.TOPK, 2, 0, 0), new ArrayList<>(), CanvasRow.prompted(PROMPT, 200, 4, 1)));
        assertTrue(e.getMessage().contains("exceeds the model's 128 positions"), e.getMessage());
    }
}
