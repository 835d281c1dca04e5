package dev.unmask.diffusion.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a constant, safe under autograd.
 *
 * <p>DJL's {@code NDArray.mul(Number)}, {@code div(Number)} and friends wrap the number in a
 * tensor whose memory is a Java direct buffer ({@code torch::from_blob}) and close it right after
 * the op. Autograd keeps that tensor for the backward pass (the gradient of {@code x * c} is
 * {@code c}), but nothing keeps the buffer: once the garbage collector frees it, backward reads
 * freed memory and the gradients are garbage (see {@code ScalarLifetimeTest}). Constants made here
 * live in memory PyTorch owns, which autograd keeps alive for as long as it needs.
 */
public final class Scalars {
    private Scalars() {}

    /** A 0-d tensor of {@code value} in {@code like}'s manager, dtype and device, in PyTorch-owned memory. */
    public static NDArray constant(NDArray like, float value) {
        return like.getManager().full(new Shape(), value, like.getDataType());
    }

    /**
     * {@code x} in float32, differentiably. DJL's {@code toType} cuts the autograd graph (the
     * result does not require grad), so float16 logits cast with it could not be trained; a
     * product with a one-element float32 tensor promotes to float32 and stays in the graph.
     */
    public static NDArray float32(NDArray x) {
        if (x.getDataType() == DataType.FLOAT32) {
            return x;
        }
        try (NDArray one = x.getManager().ones(new Shape(1), DataType.FLOAT32)) {
            return x.mul(one); // (shape of x) float32
        }
    }

    public static NDArray mul(NDArray x, float value) {
        try (NDArray c = constant(x, value)) {
            return x.mul(c);
        }
    }

    public static NDArray div(NDArray x, float value) {
        try (NDArray c = constant(x, value)) {
            return x.div(c);
        }
    }

    public static NDArray add(NDArray x, float value) {
        try (NDArray c = constant(x, value)) {
            return x.add(c);
        }
    }
}
