package dev.unmask.diffusion.checkpoint;

import ai.djl.ndarray.types.Shape;

/**
 * One tensor's header entry in a safetensors file.
 *
 * @param begin offset of its first byte, counted from the end of the header
 * @param end offset one past its last byte, counted from the end of the header
 */
public record TensorEntry(String name, TensorDType dtype, Shape shape, long begin, long end) {
    public long byteLength() {
        return end - begin;
    }
}
