package dev.unmask.diffusion.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A model with known logits: at canvas column c it prefers token {@code 10 + c}, with a margin that
 * grows with c (later positions are more confident), plus small scores for every other token.
 * Records how many positions it was asked for.
 */
class FakeDenoiser implements Denoiser {
    static final int VOCAB = 64;
    int calls;
    long positionsAsked;

    @Override
    public NDArray logits(NDManager manager, long[][] ids, long[][] attention, long[] positions) {
        calls++;
        positionsAsked += positions.length;
        int length = ids[0].length;
        float[][] logits = new float[positions.length][VOCAB];
        for (int i = 0; i < positions.length; i++) {
            int column = (int) (positions[i] % length);
            for (int v = 0; v < VOCAB; v++) {
                logits[i][v] = (v % 7) * 0.1f;
            }
            logits[i][(10 + column) % VOCAB] = 1f + 0.25f * column;
        }
        return manager.create(logits);
    }

    @Override
    public int vocabSize() {
        return VOCAB;
    }

    @Override
    public int maxLength() {
        return 128;
    }
}
