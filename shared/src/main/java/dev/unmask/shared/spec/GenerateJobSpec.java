package dev.unmask.shared.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.shared.json.JsonCodec;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A generate job: {@code n} texts from {@code prompt} by iterative unmasking. A prompt holding the
 * model's mask token ({@code <mask>}) is a template to infill instead.
 *
 * @param seed text i uses seed + i; when the request has none, one is drawn at submit and stored
 */
public record GenerateJobSpec(
        ModelRef model, String prompt, int maxTokens, String strategy, int steps, double temperature, int topK,
        double topP, double threshold, int blockSize, long seed, int n) {

    static final Set<String> FIELDS = Set.of("type", "model", "prompt", "max_tokens", "strategy", "steps",
            "temperature", "top_k", "top_p", "threshold", "block_size", "seed", "n");
    public static final int MAX_PROMPT_CHARS = 20_000;

    /**
     * Reads and validates a request body. Defaults: max_tokens 240, strategy refine, steps 10,
     * temperature 1.0, top_k 50 (0 = all), top_p 0.95, threshold 0.9 (confidence), block_size 0
     * (one block), seed drawn at random, n 1.
     */
    public static GenerateJobSpec parse(JsonNode body, Validation v) {
        v.onlyFields(body, "", FIELDS);
        String modelText = v.string(body, "", "model", null, 200);
        ModelRef model = null;
        if (modelText != null) {
            if (modelText.startsWith(ModelRef.PRESET_PREFIX)) {
                v.add("model", "untrained_preset", "a preset has no trained weights or tokenizer; train it first "
                        + "and generate from the produced model's id");
            } else {
                model = ModelRef.parse(modelText).orElse(null);
                if (model == null) {
                    v.add("model", "format", "must be a model id (a UUID) or a Hub id (org/name[@revision]), got '"
                            + modelText + "'");
                }
            }
        }
        String prompt = v.text(body, "", "prompt", "", MAX_PROMPT_CHARS);
        int maxTokens = (int) v.integer(body, "", "max_tokens", 240, 1, 8192);
        String strategy = v.choice(body, "", "strategy", "refine", Set.of("refine", "confidence", "topk"));
        int steps = (int) v.integer(body, "", "steps", 10, 1, 10_000);
        double temperature = v.number(body, "", "temperature", 1.0, 0, false, 100);
        int topK = (int) v.integer(body, "", "top_k", 50, 0, 1_000_000);
        double topP = v.number(body, "", "top_p", 0.95, 0, true, 1);
        double threshold = v.number(body, "", "threshold", 0.9, 0, true, 1);
        int blockSize = (int) v.integer(body, "", "block_size", 0, 0, 8192);
        long seed = body.hasNonNull("seed") ? v.integer(body, "", "seed", 0, Long.MIN_VALUE, Long.MAX_VALUE)
                : ThreadLocalRandom.current().nextLong(1L << 53);
        int n = (int) v.integer(body, "", "n", 1, 1, 64);
        return new GenerateJobSpec(model, prompt, maxTokens, strategy, steps, temperature, topK, topP, threshold,
                blockSize, seed, n);
    }

    public ObjectNode toJson() {
        ObjectNode json = JsonCodec.MAPPER.createObjectNode();
        json.put("type", "generate");
        json.put("model", model.toString());
        json.put("prompt", prompt);
        json.put("max_tokens", maxTokens);
        json.put("strategy", strategy);
        json.put("steps", steps);
        json.put("temperature", temperature);
        json.put("top_k", topK);
        json.put("top_p", topP);
        json.put("threshold", threshold);
        json.put("block_size", blockSize);
        json.put("seed", seed);
        json.put("n", n);
        return json;
    }

    public static GenerateJobSpec fromJson(JsonNode json) {
        Validation v = new Validation();
        GenerateJobSpec spec = parse(json, v);
        v.throwIfAny();
        return spec;
    }
}
