package dev.unmask.diffusion.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fresh parameters initialised as {@code transformers} does: matrices and embeddings from
 * N(0, initializer_range), biases 0, LayerNorm gamma 1 / beta 0, padding rows of padded tables 0.
 */
public final class ModelInitializer {
    private ModelInitializer() {}

    /**
     * A new model with random weights.
     *
     * @param parent the manager the model's own manager is created under
     * @param seed the engine RNG seed: the same seed gives the same weights
     */
    public static MaskedLanguageModel initialize(
            EncoderConfig config, NDManager parent, Device device, DataType dataType, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        NDManager manager = parent.newSubManager(device);
        try {
            ParameterLayout layout = ParameterLayout.of(config);
            Map<String, NDArray> params = new LinkedHashMap<>();
            float std = (float) config.initializerRange();
            for (ParameterSpec spec : layout.specs().values()) {
                NDArray array = switch (spec.kind()) {
                    case EMBEDDING, LINEAR_WEIGHT -> manager.randomNormal(0f, std, spec.shape(),
                            DataType.FLOAT32);
                    case BIAS, NORM_BIAS -> manager.zeros(spec.shape(), DataType.FLOAT32);
                    case NORM_WEIGHT -> manager.ones(spec.shape(), DataType.FLOAT32);
                };
                if (hasPaddingRow(config, spec.name())) {
                    array.set(new NDIndex(config.padTokenId()), 0f);
                }
                if (dataType != DataType.FLOAT32) {
                    NDArray cast = array.toType(dataType, false);
                    array.close();
                    array = cast;
                }
                params.put(spec.name(), array);
            }
            return MaskedLanguageModel.of(config, params, manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static boolean hasPaddingRow(EncoderConfig config, String name) {
        String emb = ParameterLayout.embeddingsPrefix(config);
        return name.equals(emb + "word_embeddings.weight")
                || (config.modelType() == ModelType.ROBERTA
                        && name.equals(emb + "position_embeddings.weight"));
    }
}
