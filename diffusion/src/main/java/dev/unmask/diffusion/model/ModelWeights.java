package dev.unmask.diffusion.model;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Read-only views of a model's parameters, resolved from HF names once, grouped the way the
 * forward pass uses them.
 */
record ModelWeights(
        NDArray wordEmbeddings, // (vocab, hidden)
        NDArray positionEmbeddings, // (max_positions, hidden)
        NDArray tokenTypeEmbeddings, // (type_vocab, hidden)
        Norm embeddingsNorm,
        List<Layer> layers,
        Dense headDense, // (hidden, hidden)
        Norm headNorm,
        NDArray decoderWeight, // (vocab, hidden): the word embeddings when tied
        NDArray decoderBias) { // (vocab)

    /** A dense layer: weight (out, in), bias (out). */
    record Dense(NDArray weight, NDArray bias) {}

    /** LayerNorm gamma and beta, both (hidden). */
    record Norm(NDArray gamma, NDArray beta) {}

    /** One encoder layer. */
    record Layer(
            Dense query, Dense key, Dense value, Dense attentionOut, Norm attentionNorm,
            Dense intermediate, Dense output, Norm outputNorm) {}

    static ModelWeights resolve(EncoderConfig config, Map<String, NDArray> p) {
        String emb = ParameterLayout.embeddingsPrefix(config);
        ModelType type = config.modelType();
        List<Layer> layers =
                IntStream.range(0, config.numHiddenLayers())
                        .mapToObj(i -> {
                            String l = ParameterLayout.layerPrefix(config, i);
                            return new Layer(
                                    dense(p, l + "attention.self.query"),
                                    dense(p, l + "attention.self.key"),
                                    dense(p, l + "attention.self.value"),
                                    dense(p, l + "attention.output.dense"),
                                    norm(p, l + "attention.output.LayerNorm"),
                                    dense(p, l + "intermediate.dense"),
                                    dense(p, l + "output.dense"),
                                    norm(p, l + "output.LayerNorm"));
                        })
                        .toList();
        NDArray word = get(p, emb + "word_embeddings.weight");
        return new ModelWeights(
                word,
                get(p, emb + "position_embeddings.weight"),
                get(p, emb + "token_type_embeddings.weight"),
                norm(p, emb + "LayerNorm"),
                layers,
                dense(p, type.headDense()),
                norm(p, type.headLayerNorm()),
                config.tieWordEmbeddings() ? word : get(p, type.decoderWeight()),
                get(p, type.headBias()));
    }

    private static Dense dense(Map<String, NDArray> p, String base) {
        return new Dense(get(p, base + ".weight"), get(p, base + ".bias"));
    }

    /** {@code base.weight} and {@code base.bias} as a LayerNorm (shared with {@link Gpt2Weights}). */
    static Norm norm(Map<String, NDArray> p, String base) {
        return new Norm(get(p, base + ".weight"), get(p, base + ".bias"));
    }

    static NDArray get(Map<String, NDArray> p, String name) {
        NDArray array = p.get(name);
        if (array == null) {
            throw new IllegalArgumentException("missing parameter " + name);
        }
        return array;
    }

}
