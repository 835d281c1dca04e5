package dev.unmask.shared.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.jobspec.GenerateParams;
import dev.unmask.jobspec.ParamValues;
import dev.unmask.shared.json.JsonCodec;
import java.util.Set;

/**
 * A generate job: {@code n} texts from {@code prompt} by iterative unmasking. A prompt holding the
 * model's mask token ({@code <mask>}) is a template to infill instead. Every parameter, its default
 * and its range is described in {@link GenerateParams}; a request without a seed gets one drawn
 * (and stored).
 *
 * @param params every {@link GenerateParams#SET} value, defaults filled in
 */
public record GenerateJobSpec(ModelRef model, ParamValues params) {

    /** Reads and validates a request body; the parameters through {@link GenerateParams}. */
    public static GenerateJobSpec parse(JsonNode body, Validation v) {
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
        ParamValues params = ParamsJson.read(GenerateParams.SET, body, "", Set.of("type", "model"), v);
        return new GenerateJobSpec(model, params);
    }

    public String prompt() {
        return params.getString(GenerateParams.PROMPT);
    }

    public int maxTokens() {
        return params.getInt(GenerateParams.MAX_TOKENS);
    }

    public int steps() {
        return params.getInt(GenerateParams.STEPS);
    }

    public long seed() {
        return params.getLong(GenerateParams.SEED);
    }

    public int n() {
        return params.getInt(GenerateParams.N);
    }

    public ObjectNode toJson() {
        ObjectNode json = JsonCodec.MAPPER.createObjectNode();
        json.put("type", "generate");
        json.put("model", model.toString());
        ParamsJson.write(GenerateParams.SET, params, json);
        return json;
    }

    public static GenerateJobSpec fromJson(JsonNode json) {
        Validation v = new Validation();
        GenerateJobSpec spec = parse(json, v);
        v.throwIfAny();
        return spec;
    }
}
