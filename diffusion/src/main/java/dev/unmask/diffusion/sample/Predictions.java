package dev.unmask.diffusion.sample;

/**
 * Chosen tokens for M positions and how sure the model was of each.
 *
 * @param tokens (M) the chosen token ids
 * @param confidence (M) the probability of each chosen token
 */
public record Predictions(long[] tokens, float[] confidence) {}
