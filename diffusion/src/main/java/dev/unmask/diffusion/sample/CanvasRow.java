package dev.unmask.diffusion.sample;

import java.util.Arrays;

/**
 * One sequence to generate: token ids where every position that is not {@code fixed} starts as
 * the mask token and is filled in by denoising. A prompt followed by masks is the common case; a
 * template with masks anywhere is infilling.
 *
 * @param ids (length) initial tokens; unfixed positions hold the mask id
 * @param fixed (length) positions never changed (the prompt, the template's text)
 * @param seed this row's RNG seed: a row's text depends only on its seed, not on its batch
 */
public record CanvasRow(long[] ids, boolean[] fixed, long seed) {

    public CanvasRow {
        if (ids.length != fixed.length) {
            throw new IllegalArgumentException("ids and fixed differ in length: " + ids.length + " vs " + fixed.length);
        }
        ids = ids.clone();
        fixed = fixed.clone();
    }

    /** {@code prompt} (start token included) followed by {@code maxTokens} masks. */
    public static CanvasRow prompted(long[] prompt, int maxTokens, int maskId, long seed) {
        if (maxTokens < 1) {
            throw new IllegalArgumentException("max_tokens must be at least 1, got " + maxTokens);
        }
        long[] ids = Arrays.copyOf(prompt, prompt.length + maxTokens);
        Arrays.fill(ids, prompt.length, ids.length, maskId);
        boolean[] fixed = new boolean[ids.length];
        Arrays.fill(fixed, 0, prompt.length, true);
        return new CanvasRow(ids, fixed, seed);
    }

    /** A template whose mask tokens are to be filled; every other position is fixed. */
    public static CanvasRow infill(long[] template, int maskId, long seed) {
        boolean[] fixed = new boolean[template.length];
        int masks = 0;
        for (int i = 0; i < template.length; i++) {
            fixed[i] = template[i] != maskId;
            masks += fixed[i] ? 0 : 1;
        }
        if (masks == 0) {
            throw new IllegalArgumentException("the template has no mask token to fill");
        }
        return new CanvasRow(template, fixed, seed);
    }

    public int length() {
        return ids.length;
    }

    /** Positions to generate, in order. */
    public int[] generatedPositions() {
        int[] out = new int[length()];
        int n = 0;
        for (int i = 0; i < fixed.length; i++) {
            if (!fixed[i]) {
                out[n++] = i;
            }
        }
        return Arrays.copyOf(out, n);
    }
}
