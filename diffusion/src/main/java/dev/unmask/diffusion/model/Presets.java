package dev.unmask.diffusion.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.diffusion.tokenizer.SpecialTokens;
import dev.unmask.diffusion.util.Json;
import java.util.List;

/** Model shapes by name. {@code base} is roberta-base (125M parameters). */
public final class Presets {
    private Presets() {}

    public static List<String> names() {
        return List.of("tiny", "small", "base");
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
