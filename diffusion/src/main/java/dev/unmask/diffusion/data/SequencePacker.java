package dev.unmask.diffusion.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Turns examples into rows of exactly {@code seqLen} tokens, by {@link Packing#PACK} or {@link Packing#PAD}. */
public final class SequencePacker {
    private SequencePacker() {}

    /**
     * Concatenates the examples' ids in order and cuts them into blocks of exactly {@code seqLen};
     * the remainder (fewer than {@code seqLen} tokens) is dropped. Masks are all 1, promptLength 0.
     */
    public static List<Sequence> pack(List<Example> examples, int seqLen) {
        requirePositive(seqLen);
        long total = 0;
        for (Example e : examples) {
            total += e.length();
        }
        int blocks = Math.toIntExact(total / seqLen);
        List<Sequence> sequences = new ArrayList<>(blocks);
        long[] block = new long[seqLen];
        int filled = 0;
        for (Example e : examples) {
            long[] ids = e.ids();
            int from = 0;
            while (from < ids.length && sequences.size() < blocks) {
                int n = Math.min(seqLen - filled, ids.length - from);
                System.arraycopy(ids, from, block, filled, n);
                filled += n;
                from += n;
                if (filled == seqLen) {
                    long[] mask = new long[seqLen];
                    Arrays.fill(mask, 1L);
                    sequences.add(new Sequence(block, mask, 0));
                    block = new long[seqLen];
                    filled = 0;
                }
            }
        }
        return sequences;
    }

    /**
     * Whether {@code example} can be a padded row of {@code seqLen}: it fits, or truncating it
     * keeps its whole prompt, at least one token after it, and the end token.
     */
    public static boolean fitsPadded(Example example, int seqLen) {
        return example.length() <= seqLen || example.promptLength() + 2 <= seqLen;
    }

    /**
     * One row per example: an example longer than {@code seqLen} keeps its first
     * {@code seqLen - 1} tokens and then its last (end) token; a shorter one is padded with
     * {@code padId}, attention mask 0 on the padding. Examples that do not {@link #fitsPadded fit}
     * are refused; filter them first.
     */
    public static List<Sequence> pad(List<Example> examples, int seqLen, long padId) {
        requirePositive(seqLen);
        List<Sequence> sequences = new ArrayList<>(examples.size());
        for (Example e : examples) {
            if (!fitsPadded(e, seqLen)) {
                throw new IllegalArgumentException("an example's prompt (" + e.promptLength()
                        + " tokens with the start token) leaves no room in seqLen = " + seqLen);
            }
            long[] src = e.ids();
            long[] ids = new long[seqLen];
            long[] mask = new long[seqLen];
            int n = Math.min(src.length, seqLen);
            System.arraycopy(src, 0, ids, 0, n);
            if (src.length > seqLen) {
                ids[seqLen - 1] = src[src.length - 1];
            }
            Arrays.fill(ids, n, seqLen, padId);
            Arrays.fill(mask, 0, n, 1L);
            sequences.add(new Sequence(ids, mask, e.promptLength()));
        }
        return sequences;
    }

    private static void requirePositive(int seqLen) {
        if (seqLen <= 0) {
            throw new IllegalArgumentException("seqLen = " + seqLen + ", must be positive");
        }
    }
}
