package dev.unmask.diffusion.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.LayerNorm;

/** The NDArray ops every model family's forward pass is built from, with HF's semantics. */
final class Layers {
    private Layers() {}

    /** Rows of {@code table} (N, H) at {@code ids} (...): -> (..., H). */
    static NDArray lookup(NDArray ids, NDArray table) {
        return Embedding.embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    }

    /** LayerNorm over the last axis of size {@code size}: (..., size) -> (..., size). */
    static NDArray layerNorm(NDArray x, ModelWeights.Norm n, int size, double eps) {
        return LayerNorm.layerNorm(x, new Shape(size), n.gamma(), n.beta(), (float) eps).singletonOrThrow();
    }

    /** Brings a caller's array into {@code scope} (temporarily) and onto {@code device}. */
    static NDArray inScope(NDArray array, NDManager scope, Device device) {
        array.tempAttach(scope);
        return array.toDevice(device, false);
    }
}
