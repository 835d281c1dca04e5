package dev.unmask.diffusion.noise;

import dev.unmask.diffusion.tokenizer.SpecialTokens;
import dev.unmask.diffusion.util.Rng;

/**
 * Applies a {@link NoiseSchedule} to a batch. Never masked, never targets: special tokens,
 * padding, each row's prompt, and a prefix of {@code prefixLen} tokens (or, with
 * {@code randomPrefix}, a prefix of 0..prefixLen tokens drawn per sequence).
 *
 * <p>For a plain-mean schedule, a row with maskable tokens but no draw below its ratio gets one
 * random maskable token masked, so every row teaches. An ELBO schedule gets no such fallback: its
 * 1/t weights are an unbiased estimate only if each token is masked with probability exactly t,
 * and a token forced in at small t would weigh 1/t (up to 1/eps) where the expected weight of
 * the whole row is the number of its tokens. There a row, or a whole batch, may have nothing
 * masked; it then contributes zero to the sum.
 */
public final class Masker {
    private final NoiseSchedule schedule;
    private final SpecialTokens specials;
    private final int prefixLen;
    private final boolean randomPrefix;

    public Masker(NoiseSchedule schedule, SpecialTokens specials, int prefixLen, boolean randomPrefix) {
        if (prefixLen < 0) {
            throw new IllegalArgumentException("prefix_len must be >= 0, got " + prefixLen);
        }
        this.schedule = schedule;
        this.specials = specials;
        this.prefixLen = prefixLen;
        this.randomPrefix = randomPrefix;
        specials.requireMask();
    }

    public NoiseSchedule schedule() {
        return schedule;
    }

    /**
     * @param ids (B, L) clean token ids
     * @param attention (B, L) 1 for tokens, 0 for padding
     * @param promptLengths (B) leading positions of each row that are prompt
     */
    public MaskedBatch mask(long[][] ids, long[][] attention, int[] promptLengths, Rng rng) {
        return mask(ids, attention, promptLengths, schedule.ratios(rng, ids.length), rng);
    }

    /** As {@link #mask(long[][], long[][], int[], Rng)} with given ratios (evaluation at a fixed ratio). */
    public MaskedBatch mask(long[][] ids, long[][] attention, int[] promptLengths, double[] ratios, Rng rng) {
        int batch = ids.length;
        int length = ids[0].length;
        long[][] input = new long[batch][];
        long[] positions = new long[batch * length];
        long[] targets = new long[batch * length];
        float[] weights = new float[batch * length];
        int masked = 0;
        long maskable = 0;
        int maskId = specials.maskId();
        for (int b = 0; b < batch; b++) {
            input[b] = ids[b].clone();
            int prefix = randomPrefix ? rng.nextInt(prefixLen + 1) : prefixLen;
            int protectedUntil = Math.max(prefix, promptLengths == null ? 0 : promptLengths[b]);
            int rowStart = masked;
            int rowMaskable = 0;
            int lastChoice = -1;
            for (int i = protectedUntil; i < length; i++) {
                if (attention[b][i] == 0 || specials.isSpecial(ids[b][i])) {
                    continue;
                }
                rowMaskable++;
                if (rng.nextInt(rowMaskable) == 0) {
                    lastChoice = i; // reservoir sample: a uniform maskable position, for the fallback
                }
                if (rng.nextDouble() < ratios[b]) {
                    positions[masked] = (long) b * length + i;
                    targets[masked] = ids[b][i];
                    weights[masked] = (float) schedule.weight(ratios[b]);
                    input[b][i] = maskId;
                    masked++;
                }
            }
            if (masked == rowStart && lastChoice >= 0 && !schedule.elbo()) {
                positions[masked] = (long) b * length + lastChoice;
                targets[masked] = ids[b][lastChoice];
                weights[masked] = (float) schedule.weight(ratios[b]);
                input[b][lastChoice] = maskId;
                masked++;
            }
            maskable += rowMaskable;
        }
        if (maskable == 0) {
            throw new IllegalArgumentException("the batch has no maskable token (all special, padding or prompt)");
        }
        double normalizer = schedule.elbo() ? maskable : masked;
        return new MaskedBatch(input, attention, java.util.Arrays.copyOf(positions, masked),
                java.util.Arrays.copyOf(targets, masked), java.util.Arrays.copyOf(weights, masked), normalizer,
                maskable);
    }
}
