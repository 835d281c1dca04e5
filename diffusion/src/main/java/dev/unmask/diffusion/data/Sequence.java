package dev.unmask.diffusion.data;

import java.util.Arrays;

/**
 * One training row of exactly {@code seqLen} positions. Treat the arrays as read-only: batches
 * copy them.
 *
 * @param ids token ids, padded with the pad id
 * @param attentionMask 1 on tokens, 0 on padding
 * @param promptLength the number of leading positions that are never masked (0 for packed blocks)
 */
public record Sequence(long[] ids, long[] attentionMask, int promptLength) {

    public Sequence {
        if (ids == null || attentionMask == null || ids.length != attentionMask.length) {
            throw new IllegalArgumentException("ids and attentionMask must have the same length");
        }
        if (promptLength < 0 || promptLength > ids.length) {
            throw new IllegalArgumentException(
                    "promptLength " + promptLength + " outside [0, " + ids.length + "]");
        }
    }

    public int length() {
        return ids.length;
    }

    /** The number of non-padding positions. */
    public int tokens() {
        int n = 0;
        for (long m : attentionMask) {
            n += m != 0 ? 1 : 0;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sequence s && promptLength == s.promptLength
                && Arrays.equals(ids, s.ids) && Arrays.equals(attentionMask, s.attentionMask);
    }

    @Override
    public int hashCode() {
        return (31 * Arrays.hashCode(ids) + Arrays.hashCode(attentionMask)) * 31 + promptLength;
    }

    @Override
    public String toString() {
        return "Sequence[ids=" + Arrays.toString(ids) + ", attentionMask=" + Arrays.toString(attentionMask)
                + ", promptLength=" + promptLength + "]";
    }
}
