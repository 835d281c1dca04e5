package dev.unmask.diffusion.train;

/**
 * Clean training sequences, before noise.
 *
 * @param ids (B, L) token ids
 * @param attention (B, L) 1 for tokens, 0 for padding
 * @param promptLengths (B) leading positions of each row that must never be masked
 */
public record TrainBatch(long[][] ids, long[][] attention, int[] promptLengths) {}
