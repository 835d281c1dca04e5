package dev.unmask.diffusion.model;

import ai.djl.ndarray.NDArray;

/**
 * What a forward pass returns: a masked-LM encoder's, or GPT-2's (whose logits at t score the token
 * at t + 1).
 *
 * @param logits (batch, seq, vocab) scores over the vocabulary
 * @param hidden (batch, seq, hidden) output of the last encoder layer (GPT-2: after {@code ln_f})
 */
public record EncoderOutput(NDArray logits, NDArray hidden) implements AutoCloseable {
    @Override
    public void close() {
        logits.close();
        hidden.close();
    }
}
