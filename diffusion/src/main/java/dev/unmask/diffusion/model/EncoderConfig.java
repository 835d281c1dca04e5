package dev.unmask.diffusion.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.diffusion.util.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

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

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new InvalidConfigException(field, value, "a positive integer");
        }
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
        JsonNode json = Json.read(configJson);
        if (!json.isObject()) {
            throw new IOException(configJson + " must hold a JSON object");
        }
        try {
            return fromJson((ObjectNode) json);
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
        ObjectNode extra = json.deepCopy();
        for (String known : KNOWN_FIELDS) {
            extra.remove(known);
        }
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
        for (Iterator<Map.Entry<String, JsonNode>> it = extra.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            json.set(e.getKey(), e.getValue());
        }
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

    private static JsonNode required(ObjectNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            throw new InvalidConfigException(field, "missing", "a value is required");
        }
        return node;
    }

    private static String requiredText(ObjectNode json, String field) {
        JsonNode node = required(json, field);
        if (!node.isTextual()) {
            throw new InvalidConfigException(field, node, "a string");
        }
        return node.asText();
    }

    private static int requiredInt(ObjectNode json, String field) {
        return asInt(field, required(json, field));
    }

    private static int asInt(String field, JsonNode node) {
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new InvalidConfigException(field, node, "an integer");
        }
        return node.asInt();
    }

    private static int optionalInt(ObjectNode json, String field, int fallback) {
        JsonNode node = json.get(field);
        return node == null || node.isNull() ? fallback : asInt(field, node);
    }

    private static double optionalDouble(ObjectNode json, String field, double fallback) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isNumber()) {
            throw new InvalidConfigException(field, node, "a number");
        }
        return node.asDouble();
    }

    private static boolean optionalBoolean(ObjectNode json, String field, boolean fallback) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw new InvalidConfigException(field, node, "true or false");
        }
        return node.asBoolean();
    }

    private static String optionalText(ObjectNode json, String field, String fallback) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isTextual()) {
            throw new InvalidConfigException(field, node, "a string");
        }
        return node.asText();
    }
}
