package dev.unmask.diffusion.model;

import ai.djl.ndarray.types.Shape;

/**
 * One named parameter of a model: its HF tensor name, shape, and what kind of tensor it is
 * (which decides initialisation and weight decay).
 */
public record ParameterSpec(String name, Shape shape, Kind kind) {

    public enum Kind {
        /** A lookup table; {@code paddingRow} of its spec's owner is zeroed at init. */
        EMBEDDING,
        /** A dense layer's matrix: (out, in) for {@code nn.Linear}, (in, out) for GPT-2's Conv1D. */
        LINEAR_WEIGHT,
        /** A dense layer's bias or the vocabulary bias. */
        BIAS,
        /** LayerNorm gamma. */
        NORM_WEIGHT,
        /** LayerNorm beta. */
        NORM_BIAS
    }

    /** AdamW decays matrices and embeddings, never biases or LayerNorm parameters. */
    public boolean decays() {
        return kind == Kind.EMBEDDING || kind == Kind.LINEAR_WEIGHT;
    }
}
