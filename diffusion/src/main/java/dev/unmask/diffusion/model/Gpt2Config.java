package dev.unmask.diffusion.model;

import static dev.unmask.diffusion.model.ConfigFields.optionalBoolean;
import static dev.unmask.diffusion.model.ConfigFields.optionalDouble;
import static dev.unmask.diffusion.model.ConfigFields.optionalInt;
import static dev.unmask.diffusion.model.ConfigFields.optionalText;
import static dev.unmask.diffusion.model.ConfigFields.positive;
import static dev.unmask.diffusion.model.ConfigFields.requiredInt;
import static dev.unmask.diffusion.model.ConfigFields.requiredText;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.diffusion.util.Json;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The shape and numerics of a GPT-2 decoder ({@code transformers}' {@code GPT2LMHeadModel}), as
 * read from and written to an HF {@code config.json}. Immutable and validated when built.
 *
 * @param innerSize the feed-forward width ({@code n_inner}; {@code null} in the file means 4 * n_embd)
 * @param bosTokenId the start token, -1 when the config names none
 * @param eosTokenId the end-of-text token, -1 when the config names none
 * @param extra fields of the source {@code config.json} Unmask does not interpret but writes back
 */
public record Gpt2Config(
        int vocabSize,
        int embedSize,
        int numLayers,
        int numHeads,
        int maxPositions,
        int innerSize,
        HiddenAct activation,
        double layerNormEps,
        boolean tieWordEmbeddings,
        double initializerRange,
        int bosTokenId,
        int eosTokenId,
        ObjectNode extra) {

    public static final String MODEL_TYPE = "gpt2";
    public static final String ARCHITECTURE = "GPT2LMHeadModel";

    public Gpt2Config {
        positive("vocab_size", vocabSize);
        positive("n_embd", embedSize);
        positive("n_layer", numLayers);
        positive("n_head", numHeads);
        positive("n_positions", maxPositions);
        positive("n_inner", innerSize);
        if (embedSize % numHeads != 0) {
            throw new InvalidConfigException("n_head", numHeads, "a divisor of n_embd (" + embedSize + ")");
        }
        if (!(layerNormEps > 0)) {
            throw new InvalidConfigException("layer_norm_epsilon", layerNormEps, "a positive number");
        }
        tokenId("bos_token_id", bosTokenId, vocabSize);
        tokenId("eos_token_id", eosTokenId, vocabSize);
        extra = extra == null ? Json.MAPPER.createObjectNode() : extra.deepCopy();
    }

    private static void tokenId(String field, int id, int vocabSize) {
        if (id < -1 || id >= vocabSize) {
            throw new InvalidConfigException(field, id, "an id in [0, vocab_size=" + vocabSize + ") or none");
        }
    }

    /** Size of one attention head. */
    public int headSize() {
        return embedSize / numHeads;
    }

    /** The config of an HF checkpoint folder's {@code config.json}. */
    public static Gpt2Config read(Path configJson) throws IOException {
        ObjectNode json = ConfigFields.readObject(configJson);
        try {
            return fromJson(json);
        } catch (InvalidConfigException e) {
            throw e.in(configJson);
        }
    }

    /** Parses an HF GPT-2 config object; every unsupported value names its field. */
    public static Gpt2Config fromJson(ObjectNode json) {
        String type = requiredText(json, "model_type");
        if (!type.equals(MODEL_TYPE)) {
            throw new InvalidConfigException("model_type", type, MODEL_TYPE);
        }
        if (!optionalBoolean(json, "scale_attn_weights", true)) {
            throw new InvalidConfigException("scale_attn_weights", false, "true");
        }
        if (optionalBoolean(json, "scale_attn_by_inverse_layer_idx", false)) {
            throw new InvalidConfigException("scale_attn_by_inverse_layer_idx", true, "false");
        }
        if (optionalBoolean(json, "add_cross_attention", false)) {
            throw new InvalidConfigException("add_cross_attention", true, "false");
        }
        int embed = requiredInt(json, "n_embd");
        return new Gpt2Config(
                requiredInt(json, "vocab_size"),
                embed,
                requiredInt(json, "n_layer"),
                requiredInt(json, "n_head"),
                requiredInt(json, "n_positions"),
                optionalInt(json, "n_inner", 4 * embed),
                HiddenAct.fromHf("activation_function", optionalText(json, "activation_function", "gelu_new")),
                optionalDouble(json, "layer_norm_epsilon", 1e-5),
                optionalBoolean(json, "tie_word_embeddings", true),
                optionalDouble(json, "initializer_range", 0.02),
                optionalInt(json, "bos_token_id", -1),
                optionalInt(json, "eos_token_id", -1),
                ConfigFields.extra(json, KNOWN_FIELDS));
    }

    /** The HF {@code config.json} object for this config: what {@code transformers} loads. */
    public ObjectNode toJson() {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.putArray("architectures").add(ARCHITECTURE);
        json.put("model_type", MODEL_TYPE);
        json.put("vocab_size", vocabSize);
        json.put("n_embd", embedSize);
        json.put("n_layer", numLayers);
        json.put("n_head", numHeads);
        json.put("n_positions", maxPositions);
        if (innerSize == 4 * embedSize) {
            json.putNull("n_inner");
        } else {
            json.put("n_inner", innerSize);
        }
        json.put("activation_function", activation.hfName());
        json.put("layer_norm_epsilon", layerNormEps);
        json.put("tie_word_embeddings", tieWordEmbeddings);
        json.put("initializer_range", initializerRange);
        if (bosTokenId >= 0) {
            json.put("bos_token_id", bosTokenId);
        }
        if (eosTokenId >= 0) {
            json.put("eos_token_id", eosTokenId);
        }
        ConfigFields.putAll(json, extra);
        return json;
    }

    private static final String[] KNOWN_FIELDS = {
        "architectures", "model_type", "vocab_size", "n_embd", "n_layer", "n_head", "n_positions", "n_inner",
        "activation_function", "layer_norm_epsilon", "tie_word_embeddings", "initializer_range",
        "bos_token_id", "eos_token_id", "add_cross_attention",
    };
}
