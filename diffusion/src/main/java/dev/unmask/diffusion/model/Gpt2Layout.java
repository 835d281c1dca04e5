package dev.unmask.diffusion.model;

import static dev.unmask.diffusion.model.ParameterLayout.add;
import static dev.unmask.diffusion.model.ParameterLayout.norm;

import dev.unmask.diffusion.model.ParameterSpec.Kind;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Every parameter of a GPT-2 decoder, named as {@code transformers}' {@code GPT2LMHeadModel} saves
 * them ({@code transformer.h.0.attn.c_attn.weight}, ...), in a stable order. Conv1D weights are
 * (in, out): the layer computes {@code x W + b}, unlike {@code nn.Linear}. Also how files name them:
 * {@code openai-community/gpt2}'s own file drops the {@code transformer.} prefix and carries
 * {@code h.N.attn.bias} causal-mask buffers, which are not parameters.
 */
public final class Gpt2Layout {
    public static final String PREFIX = "transformer.";
    /** The untied LM head (vocab, n_embd); a tied head is the token embeddings and not saved. */
    public static final String LM_HEAD = "lm_head.weight";
    private static final Pattern BUFFER = Pattern.compile("transformer\\.h\\.\\d+\\.attn\\.(bias|masked_bias)");

    private final Gpt2Config config;
    private final Map<String, ParameterSpec> specs;

    private Gpt2Layout(Gpt2Config config, Map<String, ParameterSpec> specs) {
        this.config = config;
        this.specs = Collections.unmodifiableMap(specs);
    }

    public static Gpt2Layout of(Gpt2Config config) {
        Map<String, ParameterSpec> specs = new LinkedHashMap<>();
        long e = config.embedSize();
        long inner = config.innerSize();
        add(specs, PREFIX + "wte.weight", Kind.EMBEDDING, config.vocabSize(), e);
        add(specs, PREFIX + "wpe.weight", Kind.EMBEDDING, config.maxPositions(), e);
        for (int i = 0; i < config.numLayers(); i++) {
            String l = layerPrefix(i);
            norm(specs, l + "ln_1", e);
            conv1d(specs, l + "attn.c_attn", e, 3 * e);
            conv1d(specs, l + "attn.c_proj", e, e);
            norm(specs, l + "ln_2", e);
            conv1d(specs, l + "mlp.c_fc", e, inner);
            conv1d(specs, l + "mlp.c_proj", inner, e);
        }
        norm(specs, PREFIX + "ln_f", e);
        if (!config.tieWordEmbeddings()) {
            add(specs, LM_HEAD, Kind.LINEAR_WEIGHT, config.vocabSize(), e);
        }
        return new Gpt2Layout(config, specs);
    }

    /** {@code transformer.h.I.} */
    public static String layerPrefix(int layer) {
        return PREFIX + "h." + layer + ".";
    }

    /** The layout name of a file's tensor: the {@code transformer.} prefix added where a file leaves it out. */
    public static String canonicalName(String fileName) {
        return fileName.startsWith(PREFIX) || fileName.startsWith("lm_head.") ? fileName : PREFIX + fileName;
    }

    /** Tensors of a file that are not parameters: attention-mask buffers, and the head when tied. */
    public boolean ignored(String canonicalName) {
        return BUFFER.matcher(canonicalName).matches()
                || (config.tieWordEmbeddings() && canonicalName.equals(LM_HEAD));
    }

    public Gpt2Config config() {
        return config;
    }

    /** Specs by HF name, in layout order. */
    public Map<String, ParameterSpec> specs() {
        return specs;
    }

    /** Total number of scalar parameters. */
    public long parameterCount() {
        return specs.values().stream().mapToLong(s -> s.shape().size()).sum();
    }

    /** A Conv1D: weight (in, out), bias (out). */
    private static void conv1d(Map<String, ParameterSpec> specs, String base, long in, long out) {
        add(specs, base + ".weight", Kind.LINEAR_WEIGHT, in, out);
        add(specs, base + ".bias", Kind.BIAS, out);
    }
}
