package dev.unmask.diffusion.noise;

/**
 * A noised training batch.
 *
 * @param inputIds (B, L) ids with the mask token at masked positions
 * @param attention (B, L) 1 for tokens, 0 for padding
 * @param maskedPositions (M) flat indices {@code row * L + column} of masked positions; M may be 0
 *     under an ELBO schedule, which forces no token in (see {@link Masker})
 * @param targets (M) the original token at each masked position
 * @param weights (M) each masked token's loss weight
 * @param normalizer what the weighted sum of losses is divided by: the number of masked tokens
 *     (plain cross-entropy) or of maskable tokens (ELBO)
 * @param tokens maskable tokens in the batch (for throughput)
 */
public record MaskedBatch(long[][] inputIds, long[][] attention, long[] maskedPositions, long[] targets,
        float[] weights, double normalizer, long tokens) {}
