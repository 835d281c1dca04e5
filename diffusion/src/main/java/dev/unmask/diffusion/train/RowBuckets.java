package dev.unmask.diffusion.train;

/**
 * Rounds a varying row count up to one of at most {@value #BUCKETS} sizes.
 *
 * <p>The number of masked positions in a batch changes every step (each token is masked with the
 * step's probability), and with it the shape of everything computed from them: the LM head's
 * input, the (M, V) logits, their softmax and the gradients of all three. Native allocations of
 * ever-new sizes fragment the C heap, so resident memory crept up over a long run although the live
 * tensors did not grow (BENCHMARKS.md, "Native memory over a long run"). Padded to a bucket, the
 * shapes repeat and freed blocks are reused.
 */
final class RowBuckets {
    static final int BUCKETS = 16;

    private RowBuckets() {}

    /**
     * The smallest bucket that holds {@code rows}: a multiple of {@code maxRows / 16} rounded up to
     * a multiple of 8. 0 stays 0.
     *
     * @param maxRows the most rows there can be (every position of the batch)
     */
    static int size(int rows, int maxRows) {
        int quantum = Math.max(8, ((maxRows + BUCKETS - 1) / BUCKETS + 7) / 8 * 8);
        return (rows + quantum - 1) / quantum * quantum;
    }
}
