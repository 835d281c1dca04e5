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
 * The shape and numerics of an encoder, as read from (and written to) an HF {@code config.json}.
 * Immutable and validated when built; derived sizes are methods.
 *
 * @param extra fields of the source {@code config.json} that Unmask does not interpret but keeps
 *     when writing the config back (dropout rates, {@code bos_token_id}, ...)
 */
public record EncoderConfig(
        ModelType modelType,
        int vocabSize,
        int hiddenSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int intermediateSize,
        int maxPositionEmbeddings,
        int typeVocabSize,
        double layerNormEps,
        int padTokenId,
        HiddenAct hiddenAct,
        boolean tieWordEmbeddings,
        double initializerRange,
        ObjectNode extra) {

    public EncoderConfig {
        positive("vocab_size", vocabSize);
        positive("hidden_size", hiddenSize);
        positive("num_hidden_layers", numHiddenLayers);
        positive("num_attention_heads", numAttentionHeads);
        positive("intermediate_size", intermediateSize);
        positive("max_position_embeddings", maxPositionEmbeddings);
        positive("type_vocab_size", typeVocabSize);
        if (hiddenSize % numAttentionHeads != 0) {
            throw new InvalidConfigException(
                    "num_attention_heads",
                    numAttentionHeads,
                    "a divisor of hidden_size (" + hiddenSize + ")");
        }
        if (!(layerNormEps > 0)) {
            throw new InvalidConfigException("layer_norm_eps", layerNormEps, "a positive number");
        }
        if (padTokenId < 0 || padTokenId >= vocabSize) {
            throw new InvalidConfigException(
                    "pad_token_id", padTokenId, "an id in [0, vocab_size=" + vocabSize + ")");
        }
        if (modelType == ModelType.ROBERTA && maxPositionEmbeddings <= padTokenId + 1) {
            throw new InvalidConfigException(
                    "max_position_embeddings",
                    maxPositionEmbeddings,
                    "more than pad_token_id + 1 (RoBERTa positions start at pad_token_id + 1)");
        }
        extra = extra == null ? Json.MAPPER.createObjectNode() : extra.deepCopy();
    }

    /** Size of one attention head. */
    public int headSize() {
        return hiddenSize / numAttentionHeads;
    }

    /** The longest sequence the position table allows (RoBERTa loses pad_id + 1 slots). */
    public int maxSequenceLength() {
        return modelType == ModelType.ROBERTA
                ? maxPositionEmbeddings - padTokenId - 1
                : maxPositionEmbeddings;
    }

    /** The config of an HF checkpoint folder ({@code DIR/config.json}). */
    public static EncoderConfig read(Path configJson) throws IOException {
        ObjectNode json = ConfigFields.readObject(configJson);
        try {
            return fromJson(json);
        } catch (InvalidConfigException e) {
            throw e.in(configJson);
        }
    }

    /** Parses an HF config object; every unsupported value names its field. */
    public static EncoderConfig fromJson(ObjectNode json) {
        ModelType type = ModelType.fromHf(requiredText(json, "model_type"));
        String positionType = optionalText(json, "position_embedding_type", "absolute");
        if (!positionType.equals("absolute")) {
            throw new InvalidConfigException("position_embedding_type", positionType, "absolute");
        }
        if (json.path("is_decoder").asBoolean(false)) {
            throw new InvalidConfigException("is_decoder", true, "false (encoders only)");
        }
        if (json.path("add_cross_attention").asBoolean(false)) {
            throw new InvalidConfigException("add_cross_attention", true, "false");
        }
        ObjectNode extra = ConfigFields.extra(json, KNOWN_FIELDS);
        return new EncoderConfig(
                type,
                requiredInt(json, "vocab_size"),
                requiredInt(json, "hidden_size"),
                requiredInt(json, "num_hidden_layers"),
                requiredInt(json, "num_attention_heads"),
                requiredInt(json, "intermediate_size"),
                requiredInt(json, "max_position_embeddings"),
                optionalInt(json, "type_vocab_size", 2),
                optionalDouble(json, "layer_norm_eps", 1e-12),
                optionalInt(json, "pad_token_id", type == ModelType.ROBERTA ? 1 : 0),
                HiddenAct.fromHf(optionalText(json, "hidden_act", "gelu")),
                optionalBoolean(json, "tie_word_embeddings", true),
                optionalDouble(json, "initializer_range", 0.02),
                extra);
    }

    /** The HF {@code config.json} object for this config: what {@code transformers} loads. */
    public ObjectNode toJson() {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.putArray("architectures").add(modelType.architecture());
        json.put("model_type", modelType.hfName());
        json.put("vocab_size", vocabSize);
        json.put("hidden_size", hiddenSize);
        json.put("num_hidden_layers", numHiddenLayers);
        json.put("num_attention_heads", numAttentionHeads);
        json.put("intermediate_size", intermediateSize);
        json.put("max_position_embeddings", maxPositionEmbeddings);
        json.put("type_vocab_size", typeVocabSize);
        json.put("layer_norm_eps", layerNormEps);
        json.put("pad_token_id", padTokenId);
        json.put("hidden_act", hiddenAct.hfName());
        json.put("tie_word_embeddings", tieWordEmbeddings);
        json.put("initializer_range", initializerRange);
        json.put("position_embedding_type", "absolute");
        ConfigFields.putAll(json, extra);
        if (!json.has("hidden_dropout_prob")) {
            json.put("hidden_dropout_prob", 0.1);
        }
        if (!json.has("attention_probs_dropout_prob")) {
            json.put("attention_probs_dropout_prob", 0.1);
        }
        return json;
    }

    /** A copy with other {@code extra} fields (for example token ids of a new tokenizer). */
    public EncoderConfig withExtra(ObjectNode newExtra) {
        return new EncoderConfig(modelType, vocabSize, hiddenSize, numHiddenLayers,
                numAttentionHeads, intermediateSize, maxPositionEmbeddings, typeVocabSize,
                layerNormEps, padTokenId, hiddenAct, tieWordEmbeddings, initializerRange, newExtra);
    }

    private static final String[] KNOWN_FIELDS = {
        "architectures", "model_type", "vocab_size", "hidden_size", "num_hidden_layers",
        "num_attention_heads", "intermediate_size", "max_position_embeddings", "type_vocab_size",
        "layer_norm_eps", "pad_token_id", "hidden_act", "tie_word_embeddings",
        "initializer_range", "position_embedding_type", "is_decoder", "add_cross_attention",
    };
}
