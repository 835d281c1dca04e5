package dev.unmask.diffusion.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** What a generator needs from a model: scores over the vocabulary at chosen canvas positions. */
public interface Denoiser {
    /**
     * @param ids (B, L) the canvases, mask tokens where still unknown
     * @param attention (B, L) 1 for canvas positions, 0 for padding
     * @param positions (M) flat indices {@code row * L + column} that need a prediction
     * @return (M, V) logits, in {@code manager}
     */
    NDArray logits(NDManager manager, long[][] ids, long[][] attention, long[] positions);

    int vocabSize();

    /** The longest canvas the model takes. */
    int maxLength();
}
