package dev.unmask.diffusion.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.unmask.diffusion.model.GradMode;
import dev.unmask.diffusion.model.TrainableModel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Float16 training with float32 master weights. The master model (float32) is what the optimizer
 * updates and what checkpoints save; a float16 copy of it on the same device runs forward and
 * backward. After each optimizer step the copy is refreshed from the master. Gradients arrive in
 * float16, scaled by the {@link LossScaler}; the trainer unscales them in float32.
 */
final class MixedPrecision<M extends TrainableModel<M>> implements AutoCloseable {
    private final M master;
    private final M compute;
    private final LossScaler scaler;

    private MixedPrecision(M master, M compute, LossScaler scaler) {
        this.master = master;
        this.compute = compute;
        this.scaler = scaler;
    }

    /** A float16 copy of {@code master} (which must be float32) in its own manager under {@code parent}. */
    static <M extends TrainableModel<M>> MixedPrecision<M> of(M master, NDManager parent, LossScaler scaler) {
        if (master.dataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("fp16 training keeps float32 master weights; the model is "
                    + master.dataType());
        }
        NDManager manager = parent.newSubManager(master.device());
        Map<String, NDArray> half = new LinkedHashMap<>();
        GradMode.disabled(() -> master.parameters().forEach((name, p) -> half.put(name, p.toType(DataType.FLOAT16, true))));
        return new MixedPrecision<>(master, master.withParameters(half, manager), scaler);
    }

    /** The float16 model that runs forward and backward. */
    M compute() {
        return compute;
    }

    LossScaler scaler() {
        return scaler;
    }

    /** Copies the master weights into the float16 model, in place (no new device arrays are kept). */
    void refresh() {
        GradMode.disabled(() -> {
            for (Map.Entry<String, NDArray> e : master.parameters().entrySet()) {
                NDArray target = compute.parameters().get(e.getKey());
                try (NDArray half = e.getValue().toType(DataType.FLOAT16, true)) {
                    target.set(new NDIndex(":"), half); // (shape of the parameter)
                }
            }
        });
    }

    @Override
    public void close() {
        compute.close();
    }
}
