package dev.unmask.diffusion.model;

import ai.djl.ndarray.NDArray;

/**
 * What a masked-LM forward pass returns.
 *
 * @param logits (batch, seq, vocab) scores over the vocabulary
 * @param hidden (batch, seq, hidden) output of the last encoder layer
 */
public record EncoderOutput(NDArray logits, NDArray hidden) implements AutoCloseable {
    @Override
    public void close() {
        logits.close();
        hidden.close();
    }
}
