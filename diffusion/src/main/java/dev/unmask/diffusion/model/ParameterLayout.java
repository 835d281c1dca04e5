package dev.unmask.diffusion.model;

import ai.djl.ndarray.types.Shape;
import dev.unmask.diffusion.model.ParameterSpec.Kind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every parameter a masked-LM encoder of a given config has, by HF name, in a stable order.
 * The single source of truth for checkpoint validation, initialisation and optimisers.
 */
public final class ParameterLayout {
    private final EncoderConfig config;
    private final Map<String, ParameterSpec> specs;

    private ParameterLayout(EncoderConfig config, Map<String, ParameterSpec> specs) {
        this.config = config;
        this.specs = Collections.unmodifiableMap(specs);
    }

    public static ParameterLayout of(EncoderConfig config) {
        Map<String, ParameterSpec> specs = new LinkedHashMap<>();
        long h = config.hiddenSize();
        long ffn = config.intermediateSize();
        long vocab = config.vocabSize();
        add(specs, embeddingsPrefix(config) + "word_embeddings.weight", Kind.EMBEDDING, vocab, h);
        add(specs, embeddingsPrefix(config) + "position_embeddings.weight", Kind.EMBEDDING,
                config.maxPositionEmbeddings(), h);
        add(specs, embeddingsPrefix(config) + "token_type_embeddings.weight", Kind.EMBEDDING,
                config.typeVocabSize(), h);
        norm(specs, embeddingsPrefix(config) + "LayerNorm", h);
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            String l = layerPrefix(config, i);
            linear(specs, l + "attention.self.query", h, h);
            linear(specs, l + "attention.self.key", h, h);
            linear(specs, l + "attention.self.value", h, h);
            linear(specs, l + "attention.output.dense", h, h);
            norm(specs, l + "attention.output.LayerNorm", h);
            linear(specs, l + "intermediate.dense", ffn, h);
            linear(specs, l + "output.dense", h, ffn);
            norm(specs, l + "output.LayerNorm", h);
        }
        ModelType type = config.modelType();
        linear(specs, type.headDense(), h, h);
        norm(specs, type.headLayerNorm(), h);
        add(specs, type.headBias(), Kind.BIAS, vocab);
        if (!config.tieWordEmbeddings()) {
            add(specs, type.decoderWeight(), Kind.LINEAR_WEIGHT, vocab, h);
        }
        return new ParameterLayout(config, specs);
    }

    /** {@code roberta.embeddings.} or {@code bert.embeddings.} */
    public static String embeddingsPrefix(EncoderConfig config) {
        return config.modelType().hfName() + ".embeddings.";
    }

    /** {@code roberta.encoder.layer.I.} */
    public static String layerPrefix(EncoderConfig config, int layer) {
        return config.modelType().hfName() + ".encoder.layer." + layer + ".";
    }

    public EncoderConfig config() {
        return config;
    }

    /** Specs by HF name, in layout order. */
    public Map<String, ParameterSpec> specs() {
        return specs;
    }

    public ParameterSpec spec(String name) {
        ParameterSpec spec = specs.get(name);
        if (spec == null) {
            throw new IllegalArgumentException("no parameter named " + name);
        }
        return spec;
    }

    public List<String> names() {
        return new ArrayList<>(specs.keySet());
    }

    /** The masked-LM head's parameters: every name outside the encoder's prefix, in layout order. */
    public List<String> headNames() {
        String encoder = config.modelType().hfName() + ".";
        return specs.keySet().stream().filter(name -> !name.startsWith(encoder)).toList();
    }

    /** Total number of scalar parameters. */
    public long parameterCount() {
        return specs.values().stream().mapToLong(s -> s.shape().size()).sum();
    }

    private static void linear(Map<String, ParameterSpec> specs, String base, long out, long in) {
        add(specs, base + ".weight", Kind.LINEAR_WEIGHT, out, in);
        add(specs, base + ".bias", Kind.BIAS, out);
    }

    /** {@code base.weight} and {@code base.bias} of a LayerNorm (shared with {@link Gpt2Layout}). */
    static void norm(Map<String, ParameterSpec> specs, String base, long size) {
        add(specs, base + ".weight", Kind.NORM_WEIGHT, size);
        add(specs, base + ".bias", Kind.NORM_BIAS, size);
    }

    static void add(Map<String, ParameterSpec> specs, String name, Kind kind, long... shape) {
        specs.put(name, new ParameterSpec(name, new Shape(shape), kind));
    }
}
