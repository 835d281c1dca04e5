package dev.unmask.diffusion.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Draws follow the temperature, top-k and top-p filtered distribution. */
class TokenSamplerTest {
    // probabilities 0.5, 0.25, 0.125, 0.0625, 0.0625 at temperature 1
    static final float[] LOGITS = {
        (float) Math.log(0.5), (float) Math.log(0.25), (float) Math.log(0.125),
        (float) Math.log(0.0625), (float) Math.log(0.0625)};
    static final int DRAWS = 20_000;
    NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterEach
    void close() {
        manager.close();
    }

    double[] frequencies(GenerationConfig config) {
        float[][] rows = new float[DRAWS][];
        float[] uniforms = new float[DRAWS];
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < DRAWS; i++) {
            rows[i] = LOGITS;
            uniforms[i] = (float) rng.nextDouble();
        }
        NDArray logits = manager.create(rows);
        Predictions p = TokenSampler.choose(logits, uniforms, config, null);
        double[] freq = new double[LOGITS.length];
        for (long t : p.tokens()) {
            freq[(int) t] += 1.0 / DRAWS;
        }
        return freq;
    }

    static GenerationConfig config(double temperature, int topK, double topP) {
        return new GenerationConfig(Strategy.TOPK, 1, temperature, topK, topP, 0.9, 0, false);
    }

    @Test
    void plainSamplingFollowsTheSoftmax() {
        assertArrayEquals(new double[] {0.5, 0.25, 0.125, 0.0625, 0.0625}, frequencies(config(1, 0, 1)), 0.015);
    }

    @Test
    void topKRenormalisesOverTheKMostLikely() {
        assertArrayEquals(new double[] {4 / 7.0, 2 / 7.0, 1 / 7.0, 0, 0}, frequencies(config(1, 3, 1)), 0.015);
    }

    @Test
    void topPKeepsTheSmallestSetReachingP() {
        // 0.5 + 0.25 = 0.75 >= 0.7: the first two tokens only
        assertArrayEquals(new double[] {2 / 3.0, 1 / 3.0, 0, 0, 0}, frequencies(config(1, 0, 0.7)), 0.015);
    }

    @Test
    void temperatureSharpens() {
        // temperature 0.5 squares the probabilities: 0.25, 0.0625, ... renormalised
        double z = 0.25 + 0.0625 + 0.015625 + 2 * 0.00390625;
        assertArrayEquals(new double[] {0.25 / z, 0.0625 / z, 0.015625 / z, 0.00390625 / z, 0.00390625 / z},
                frequencies(config(0.5, 0, 1)), 0.015);
    }

    @Test
    void confidenceIsTheChosenTokensProbability() {
        NDArray logits = manager.create(new float[][] {LOGITS});
        Predictions greedy = TokenSampler.choose(logits, new float[] {0f}, config(0, 0, 1), null);
        assertEquals(0, greedy.tokens()[0]);
        assertEquals(0.5f, greedy.confidence()[0], 1e-6f);
        Predictions drawn = TokenSampler.choose(manager.create(new float[][] {LOGITS}), new float[] {0.6f},
                config(1, 0, 1), null);
        assertEquals(1, drawn.tokens()[0], "u = 0.6 falls in the second token's slice [0.5, 0.75)");
        assertEquals(0.25f, drawn.confidence()[0], 1e-6f);
    }
}
