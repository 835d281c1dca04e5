package dev.unmask.diffusion.data;

import java.util.Arrays;

/**
 * A batch of training rows, copies the caller may modify.
 *
 * @param ids {@code [batchSize][seqLen]} token ids
 * @param attentionMask {@code [batchSize][seqLen]}, 1 on tokens, 0 on padding
 * @param promptLengths per row, the leading positions that are never masked
 * @param epoch the epoch the batch belongs to (0-based)
 * @param index the batch's number since the start of training (0-based, over all epochs)
 */
public record Batch(long[][] ids, long[][] attentionMask, int[] promptLengths, int epoch, long index) {

    public Batch {
        if (ids.length != attentionMask.length || ids.length != promptLengths.length) {
            throw new IllegalArgumentException("ids, attentionMask and promptLengths must have one entry per row");
        }
    }

    /** Rows in the batch. */
    public int size() {
        return ids.length;
    }

    public int seqLen() {
        return ids.length == 0 ? 0 : ids[0].length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Batch b && epoch == b.epoch && index == b.index
                && Arrays.deepEquals(ids, b.ids) && Arrays.deepEquals(attentionMask, b.attentionMask)
                && Arrays.equals(promptLengths, b.promptLengths);
    }

    @Override
    public int hashCode() {
        return ((Arrays.deepHashCode(ids) * 31 + Arrays.deepHashCode(attentionMask)) * 31
                + Arrays.hashCode(promptLengths)) * 31 + Long.hashCode(index);
    }

    @Override
    public String toString() {
        return "Batch[epoch=" + epoch + ", index=" + index + ", size=" + size() + ", seqLen=" + seqLen() + "]";
    }
}
