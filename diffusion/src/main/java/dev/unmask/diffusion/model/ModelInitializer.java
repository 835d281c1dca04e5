package dev.unmask.diffusion.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fresh parameters initialised as {@code transformers} does: matrices and embeddings from
 * N(0, initializer_range), biases 0, LayerNorm gamma 1 / beta 0, padding rows of padded tables 0;
 * except the position table, which starts as a sinusoid of the same RMS (see
 * {@link #sinusoidalPositions}).
 *
 * <p>Why the sinusoid: with random position rows, attending to a neighbour ("the token before
 * me") has to be learnt separately for every position pair, and small models sit on the unigram
 * plateau for a long time before they manage it. Sinusoidal rows make the relation between
 * positions i and i+k one fixed linear map for every i, so one query/key pattern serves all
 * positions. The table stays an ordinary learned table (the checkpoint is a plain HF one).
 *
 * <p>And the residual branches start at zero: each layer's two output projections
 * ({@code attention.output.dense} and {@code output.dense}) have zero weights, so every
 * post-LayerNorm layer starts as the identity and the embeddings reach the head undisturbed (as
 * in ReZero and Fixup). With random projections, four or more post-LN layers scramble the token
 * signal at the start and the gradient reaching the lower layers is weak: on a language where the
 * previous token decides the next one, 4-layer {@code tiny} still sat at the unigram loss after
 * 300 steps, where with zero branches it fell 2.5 nats and matched a 1-layer model. The first step
 * moves the projections off zero (their gradient is not zero), after which the rest train too.
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
                NDArray array = fresh(spec, manager, std);
                if (spec.name().equals(ParameterLayout.embeddingsPrefix(config) + "position_embeddings.weight")) {
                    array.close();
                    array = manager.create(sinusoidalPositions(config), spec.shape());
                }
                if (isResidualBranchOutput(config, spec.name())) {
                    // drawn, then dropped: the other tensors keep the values a seed gave them before this rule
                    array.close();
                    array = manager.zeros(spec.shape(), DataType.FLOAT32);
                }
                if (hasPaddingRow(config, spec.name())) {
                    array.set(new NDIndex(config.padTokenId()), 0f);
                }
                params.put(spec.name(), cast(array, dataType));
            }
            return MaskedLanguageModel.of(config, params, manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Fresh tensors for the parameters a checkpoint lacks (a headless encoder's masked-LM head),
     * filled as {@code transformers}' {@code _init_weights} fills newly initialised weights:
     * matrices from N(0, initializer_range), biases 0, LayerNorm gamma 1 and beta 0. None of the
     * from-scratch rules above (sinusoid, zero branches): those shape a whole new model.
     *
     * @param names HF names of {@link ParameterLayout#of}'s parameters
     * @param manager the manager (and device) the tensors are created in
     * @param seed the engine RNG seed: the same seed gives the same tensors
     */
    public static Map<String, NDArray> initializeMissing(EncoderConfig config, List<String> names,
            NDManager manager, DataType dataType, long seed) {
        ParameterLayout layout = ParameterLayout.of(config);
        Engine.getInstance().setRandomSeed((int) seed);
        float std = (float) config.initializerRange();
        Map<String, NDArray> params = new LinkedHashMap<>();
        for (String name : names) {
            params.put(name, cast(fresh(layout.spec(name), manager, std), dataType));
        }
        return params;
    }

    /** (spec shape) float32: N(0, std) for matrices and embeddings, 0 for biases, 1 for LayerNorm gamma. */
    private static NDArray fresh(ParameterSpec spec, NDManager manager, float std) {
        return switch (spec.kind()) {
            case EMBEDDING, LINEAR_WEIGHT -> manager.randomNormal(0f, std, spec.shape(), DataType.FLOAT32);
            case BIAS, NORM_BIAS -> manager.zeros(spec.shape(), DataType.FLOAT32);
            case NORM_WEIGHT -> manager.ones(spec.shape(), DataType.FLOAT32);
        };
    }

    private static NDArray cast(NDArray array, DataType dataType) {
        if (array.getDataType() == dataType) {
            return array;
        }
        NDArray cast = array.toType(dataType, false);
        array.close();
        return cast;
    }

    /**
     * The initial position table, row-major (max_position_embeddings, hidden): row {@code r} holds
     * position {@code p = r - (pad_token_id + 1)} for RoBERTa (whose positions start after the pad
     * id; earlier rows are 0) and {@code p = r} otherwise, as interleaved
     * {@code sin(p w_i), cos(p w_i)} with {@code w_i = 10000^(-2i/hidden)}, scaled so each row's
     * RMS is initializer_range, the RMS of the other tables' rows.
     */
    static float[] sinusoidalPositions(EncoderConfig config) {
        int rows = config.maxPositionEmbeddings();
        int hidden = config.hiddenSize();
        int first = config.modelType() == ModelType.ROBERTA ? config.padTokenId() + 1 : 0;
        double scale = config.initializerRange() * Math.sqrt(2.0); // sin and cos pairs have RMS 1/sqrt(2)
        float[] table = new float[rows * hidden];
        for (int r = Math.max(first, 0); r < rows; r++) {
            int p = r - first;
            for (int i = 0; 2 * i < hidden; i++) {
                double angle = p * Math.pow(10000, -2.0 * i / hidden);
                table[r * hidden + 2 * i] = (float) (scale * Math.sin(angle));
                if (2 * i + 1 < hidden) {
                    table[r * hidden + 2 * i + 1] = (float) (scale * Math.cos(angle));
                }
            }
        }
        return table;
    }

    /** A layer's attention or feed-forward output projection weight: the end of a residual branch. */
    static boolean isResidualBranchOutput(EncoderConfig config, String name) {
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            String layer = ParameterLayout.layerPrefix(config, i);
            if (name.equals(layer + "attention.output.dense.weight") || name.equals(layer + "output.dense.weight")) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasPaddingRow(EncoderConfig config, String name) {
        String emb = ParameterLayout.embeddingsPrefix(config);
        return name.equals(emb + "word_embeddings.weight")
                || (config.modelType() == ModelType.ROBERTA
                        && name.equals(emb + "position_embeddings.weight"));
    }
}
