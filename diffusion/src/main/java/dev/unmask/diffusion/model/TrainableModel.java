package dev.unmask.diffusion.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/**
 * A model of any family as the trainer sees it: named parameters that it owns, their specs (which
 * decide weight decay), and a way to build the same architecture over other tensors (the float16
 * copy of mixed precision).
 *
 * @param <M> the family's own type, which {@link #withParameters} returns
 */
public interface TrainableModel<M extends TrainableModel<M>> extends HfModel, AutoCloseable {
    /** The manager that owns the parameters. */
    NDManager manager();

    /** Every parameter's spec by HF name, in layout order. */
    Map<String, ParameterSpec> parameterSpecs();

    /** Total number of scalar parameters. */
    default long parameterCount() {
        return parameterSpecs().values().stream().mapToLong(s -> s.shape().size()).sum();
    }

    /** This architecture over {@code parameters} (same names and shapes), owned by {@code manager}. */
    M withParameters(Map<String, NDArray> parameters, NDManager manager);

    @Override
    void close();
}
