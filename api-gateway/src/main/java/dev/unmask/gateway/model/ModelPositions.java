package dev.unmask.gateway.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.shared.json.JsonCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many tokens of prompt and generation a model folder can hold, read off its
 * {@code config.json} (cached per folder; a model folder does not change under its id):
 * an encoder's {@code max_position_embeddings} less its special tokens (RoBERTa also less its
 * padding offset), GPT-2's {@code n_positions}. Empty when the config says neither. Blocking.
 */
public final class ModelPositions {
    private final Map<Path, OptionalInt> cache = new ConcurrentHashMap<>();

    /** The token capacity of the model in {@code folder}, when its config tells. */
    public OptionalInt capacity(Path folder) {
        return cache.computeIfAbsent(folder, ModelPositions::read);
    }

    private static OptionalInt read(Path folder) {
        JsonNode config;
        try {
            config = JsonCodec.read(Files.readString(folder.resolve("config.json")));
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
        return capacity(config).map(OptionalInt::of).orElse(OptionalInt.empty());
    }

    static Optional<Integer> capacity(JsonNode config) {
        String type = config.path("model_type").asText("");
        if (type.equals("gpt2") && config.path("n_positions").canConvertToInt()) {
            return Optional.of(config.path("n_positions").asInt());
        }
        if (!config.path("max_position_embeddings").canConvertToInt()) {
            return Optional.empty();
        }
        int positions = config.path("max_position_embeddings").asInt();
        int specials = 2; // <s> ... </s>, [CLS] ... [SEP]
        int offset = type.equals("roberta") ? config.path("pad_token_id").asInt(1) + 1 : 0;
        return Optional.of(Math.max(0, positions - offset - specials));
    }
}
