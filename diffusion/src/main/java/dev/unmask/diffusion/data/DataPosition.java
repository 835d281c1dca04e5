package dev.unmask.diffusion.data;

import java.io.Serializable;

/**
 * Where a {@link BatchIterator} stands: the next batch it yields is batch {@code batchInEpoch}
 * (0-based) of epoch {@code epoch}. Save it with a checkpoint and pass it to
 * {@link BatchIterator#resume} to continue with exactly the batches an uninterrupted run would
 * have seen.
 */
public record DataPosition(int epoch, int batchInEpoch) implements Serializable {
    public static final DataPosition START = new DataPosition(0, 0);

    public DataPosition {
        if (epoch < 0) {
            throw new IllegalArgumentException("data position: epoch = " + epoch + ", must be >= 0");
        }
        if (batchInEpoch < 0) {
            throw new IllegalArgumentException("data position: batchInEpoch = " + batchInEpoch + ", must be >= 0");
        }
    }
}
