package dev.unmask.diffusion.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.unmask.diffusion.util.Rng;

/**
 * What a model learns from a batch of clean sequences: the one place the trainer's families
 * differ. {@link MaskedDiffusion} masks the batch at a noise level and scores the masked
 * positions; {@link NextToken} scores every position's next token. Everything around it (data,
 * AdamW, schedules, clipping, mixed precision, checkpoints, exact resume) is the trainer's.
 *
 * @param <M> the model family it trains
 */
public interface Objective<M> {
    /**
     * The loss of one micro-batch, recorded for backward.
     *
     * @param model the model that computes (the float16 copy in mixed precision)
     * @param rng the run's RNG: whatever noise the objective draws comes from it, so that a
     *     resumed run draws the same
     * @param scope where the loss and its temporaries live (on the model's device)
     * @return a float32 scalar in {@code scope}
     */
    NDArray loss(M model, TrainBatch batch, Rng rng, NDManager scope);
}
