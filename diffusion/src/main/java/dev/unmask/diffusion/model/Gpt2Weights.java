package dev.unmask.diffusion.model;

import static dev.unmask.diffusion.model.ModelWeights.get;
import static dev.unmask.diffusion.model.ModelWeights.norm;

import ai.djl.ndarray.NDArray;
import dev.unmask.diffusion.model.ModelWeights.Norm;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** Read-only views of a GPT-2 decoder's parameters, resolved from HF names once. */
record Gpt2Weights(
        NDArray tokenEmbeddings, // (vocab, n_embd)
        NDArray positionEmbeddings, // (n_positions, n_embd)
        List<Block> blocks,
        Norm finalNorm,
        NDArray head) { // (vocab, n_embd): the token embeddings when tied

    /** GPT-2's Conv1D: weight (in, out), bias (out); computes {@code x W + b}. */
    record Conv1D(NDArray weight, NDArray bias) {}

    /** One pre-LayerNorm decoder block. */
    record Block(
            Norm attentionNorm, // ln_1
            Conv1D qkv, // attn.c_attn: (n_embd, 3 n_embd), queries, keys, values side by side
            Conv1D attentionOut, // attn.c_proj: (n_embd, n_embd)
            Norm mlpNorm, // ln_2
            Conv1D fc, // mlp.c_fc: (n_embd, n_inner)
            Conv1D proj) {} // mlp.c_proj: (n_inner, n_embd)

    static Gpt2Weights resolve(Gpt2Config config, Map<String, NDArray> p) {
        List<Block> blocks = IntStream.range(0, config.numLayers())
                .mapToObj(i -> {
                    String l = Gpt2Layout.layerPrefix(i);
                    return new Block(norm(p, l + "ln_1"), conv(p, l + "attn.c_attn"), conv(p, l + "attn.c_proj"),
                            norm(p, l + "ln_2"), conv(p, l + "mlp.c_fc"), conv(p, l + "mlp.c_proj"));
                })
                .toList();
        NDArray wte = get(p, Gpt2Layout.PREFIX + "wte.weight");
        return new Gpt2Weights(wte, get(p, Gpt2Layout.PREFIX + "wpe.weight"), blocks,
                norm(p, Gpt2Layout.PREFIX + "ln_f"), config.tieWordEmbeddings() ? wte : get(p, Gpt2Layout.LM_HEAD));
    }

    private static Conv1D conv(Map<String, NDArray> p, String base) {
        return new Conv1D(get(p, base + ".weight"), get(p, base + ".bias"));
    }
}
