package dev.unmask.diffusion.noise;

import java.util.Arrays;

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
        float[] weights, double normalizer, long tokens) {

    /**
     * The same batch with its masked rows padded to {@code rows} by repeating position 0 with
     * target 0 and weight 0: the loss and every gradient are unchanged (the extra rows are
     * multiplied by 0), but the tensors take one of a few shapes instead of any M.
     *
     * @throws IllegalArgumentException when {@code rows} is less than M
     */
    public MaskedBatch paddedTo(int rows) {
        int m = maskedPositions.length;
        if (rows < m) {
            throw new IllegalArgumentException("cannot pad " + m + " masked rows to " + rows);
        }
        if (rows == m) {
            return this;
        }
        return new MaskedBatch(inputIds, attention, Arrays.copyOf(maskedPositions, rows), Arrays.copyOf(targets, rows),
                Arrays.copyOf(weights, rows), normalizer, tokens);
    }
}
