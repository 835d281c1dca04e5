package dev.unmask.diffusion.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * What an autoregressive generator needs from a model: next-token scores for rows that grow by
 * whole columns, the model keeping what it has computed (its KV cache) between calls.
 */
public interface CausalLm {
    int vocabSize();

    /** The longest sequence (prompt and generated tokens) the model takes. */
    int maxLength();

    /** A new decoding of {@code rows} sequences of up to {@code capacity} columns, its state in {@code manager}. */
    Decoding start(NDManager manager, int rows, int capacity);

    /** One decoding's per-request state. */
    interface Decoding extends AutoCloseable {
        /**
         * Appends a block of columns to every current row: the left-padded prompts first, then one
         * token per step.
         *
         * @param ids (B, T) token ids
         * @param real (B, T) false for padding, which is never attended to; each row's last column is real
         * @return (B, V) scores of the token after each row's last column, in {@code manager}
         */
        NDArray append(NDManager manager, long[][] ids, boolean[][] real);

        /** Keeps only these of the current rows (their indices), in this order: finished rows leave. */
        void retain(int[] rows);

        @Override
        void close();
    }
}
