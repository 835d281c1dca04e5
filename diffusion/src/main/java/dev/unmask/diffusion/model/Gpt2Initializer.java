package dev.unmask.diffusion.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fresh GPT-2 parameters, initialised as {@code transformers}' {@code GPT2PreTrainedModel} does
 * (and nanoGPT): matrices and embeddings from N(0, initializer_range), biases 0, LayerNorm gamma 1
 * and beta 0, and each residual branch's output projection ({@code attn.c_proj},
 * {@code mlp.c_proj}) from N(0, initializer_range / sqrt(2 n_layer)), so the residual stream's
 * variance does not grow with depth. Pre-LayerNorm blocks train from this start without the
 * encoder's special rules ({@link ModelInitializer}).
 */
public final class Gpt2Initializer {
    private Gpt2Initializer() {}

    /**
     * A new model with random weights.
     *
     * @param parent the manager the model's own manager is created under
     * @param seed the engine RNG seed: the same seed gives the same weights
     */
    public static Gpt2Model initialize(Gpt2Config config, NDManager parent, Device device, DataType dataType,
            long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        NDManager manager = parent.newSubManager(device);
        try {
            Gpt2Layout layout = Gpt2Layout.of(config);
            float std = (float) config.initializerRange();
            float projectionStd = (float) (config.initializerRange() / Math.sqrt(2.0 * config.numLayers()));
            Map<String, NDArray> params = new LinkedHashMap<>();
            for (ParameterSpec spec : layout.specs().values()) {
                NDArray array = switch (spec.kind()) {
                    case EMBEDDING, LINEAR_WEIGHT -> manager.randomNormal(0f,
                            isResidualProjection(spec.name()) ? projectionStd : std, spec.shape(), DataType.FLOAT32);
                    case BIAS, NORM_BIAS -> manager.zeros(spec.shape(), DataType.FLOAT32);
                    case NORM_WEIGHT -> manager.ones(spec.shape(), DataType.FLOAT32);
                };
                if (dataType != DataType.FLOAT32) {
                    NDArray cast = array.toType(dataType, false);
                    array.close();
                    array = cast;
                }
                params.put(spec.name(), array);
            }
            return Gpt2Model.of(config, params, manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** {@code transformer.h.N.attn.c_proj.weight} or {@code transformer.h.N.mlp.c_proj.weight}. */
    static boolean isResidualProjection(String name) {
        return name.startsWith(Gpt2Layout.PREFIX + "h.") && name.endsWith(".c_proj.weight");
    }
}
