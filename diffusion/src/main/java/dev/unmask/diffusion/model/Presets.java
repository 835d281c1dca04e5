package dev.unmask.diffusion.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.diffusion.tokenizer.SpecialTokens;
import dev.unmask.diffusion.util.Json;
import java.util.List;

/**
 * Model shapes by name. The encoders: {@code tiny}, {@code small}, {@code base} (roberta-base,
 * 125M parameters). GPT-2 decoders of the same sizes: {@code gpt2-tiny}, {@code gpt2-small},
 * {@code gpt2-base} (GPT-2's own 124M shape), each within 10% of its encoder's parameter count
 * for any vocabulary (the same width, depth and feed-forward; the encoder's extra head is one
 * hidden-by-hidden matrix).
 */
public final class Presets {
    private Presets() {}

    /** The encoder presets. */
    public static List<String> names() {
        return List.of("tiny", "small", "base");
    }

    /** The GPT-2 presets. */
    public static List<String> gpt2Names() {
        return List.of(GPT2_PREFIX + "tiny", GPT2_PREFIX + "small", GPT2_PREFIX + "base");
    }

    /** What a preset's name starts with when it is a GPT-2 shape. */
    public static final String GPT2_PREFIX = "gpt2-";

    /** The family of a preset, or an error naming every preset. */
    public static ModelFamily family(String name) {
        if (names().contains(name)) {
            return ModelFamily.MASKED_LM;
        }
        if (gpt2Names().contains(name)) {
            return ModelFamily.CAUSAL_LM;
        }
        throw new InvalidConfigException("preset", name,
                String.join(", ", names()) + ", " + String.join(", ", gpt2Names()));
    }

    /**
     * A GPT-2 config of the named preset for a tokenizer's vocabulary; its start and end ids are
     * the tokenizer's ({@code <|endoftext|>} for both in a GPT-2 tokenizer).
     */
    public static Gpt2Config gpt2(String name, int vocabSize, SpecialTokens specials) {
        Gpt2Config c = gpt2(name, vocabSize);
        return new Gpt2Config(c.vocabSize(), c.embedSize(), c.numLayers(), c.numHeads(), c.maxPositions(),
                c.innerSize(), c.activation(), c.layerNormEps(), c.tieWordEmbeddings(), c.initializerRange(),
                specials.startId(), specials.endId(), null);
    }

    /** A GPT-2 config of the named preset ({@code gpt2-tiny}, ...) with the given vocabulary size. */
    public static Gpt2Config gpt2(String name, int vocabSize) {
        return switch (name) {
            case GPT2_PREFIX + "tiny" -> gpt2(vocabSize, 128, 4, 4, 256);
            case GPT2_PREFIX + "small" -> gpt2(vocabSize, 256, 6, 4, 512);
            case GPT2_PREFIX + "base" -> gpt2(vocabSize, 768, 12, 12, 1024);
            default -> throw new InvalidConfigException("preset", name, String.join(", ", gpt2Names()));
        };
    }

    private static Gpt2Config gpt2(int vocab, int embed, int layers, int heads, int positions) {
        return new Gpt2Config(vocab, embed, layers, heads, positions, 4 * embed, HiddenAct.GELU_NEW, 1e-5, true,
                0.02, -1, -1, null);
    }

    /** A RoBERTa config of the named preset for a tokenizer's vocabulary and special ids. */
    public static EncoderConfig roberta(String name, int vocabSize, SpecialTokens specials) {
        ObjectNode json = roberta(name, vocabSize).toJson();
        if (specials.padId() >= 0) {
            json.put("pad_token_id", specials.padId());
        }
        json.put("bos_token_id", specials.startId());
        json.put("eos_token_id", specials.endId());
        return EncoderConfig.fromJson(json);
    }

    /** A RoBERTa config of the named preset with the given vocabulary size. */
    public static EncoderConfig roberta(String name, int vocabSize) {
        return switch (name) {
            // tiny: N(0, 0.1) instead of HF's 0.02. At hidden 128, 0.02 leaves attention logits and
            // each layer's contribution to the residual ~0 (0.02 * sqrt(128) ~ 0.23 per matrix), and
            // the model sits on the unigram plateau far longer than a 10-minute CPU run.
            case "tiny" -> roberta(vocabSize, 128, 4, 4, 512, 258, 0.1);
            case "small" -> roberta(vocabSize, 256, 6, 4, 1024, 514, 0.02);
            case "base" -> roberta(vocabSize, 768, 12, 12, 3072, 514, 0.02);
            default -> throw new InvalidConfigException("preset", name, String.join(", ", names()));
        };
    }

    private static EncoderConfig roberta(int vocab, int hidden, int layers, int heads, int ffn, int positions,
            double initializerRange) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("model_type", "roberta");
        json.put("vocab_size", vocab);
        json.put("hidden_size", hidden);
        json.put("num_hidden_layers", layers);
        json.put("num_attention_heads", heads);
        json.put("intermediate_size", ffn);
        json.put("max_position_embeddings", positions);
        json.put("type_vocab_size", 1);
        json.put("layer_norm_eps", 1e-5);
        json.put("pad_token_id", 1);
        json.put("bos_token_id", 0);
        json.put("eos_token_id", 2);
        json.put("hidden_act", "gelu");
        json.put("tie_word_embeddings", true);
        json.put("initializer_range", initializerRange);
        return EncoderConfig.fromJson(json);
    }
}
