package dev.unmask.shared.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.jobspec.ParamValues;
import dev.unmask.jobspec.TrainParams;
import dev.unmask.shared.json.JsonCodec;
import java.util.Set;
import java.util.UUID;

/**
 * A train job: fine-tune a model (or pretrain a preset from scratch) on a dataset with the
 * diffusion objective. Every hyperparameter, its default and its range is described in
 * {@link TrainParams}; a stored spec holds them all.
 *
 * @param outputName the produced model's name; null = "{dataset name}-{model}" chosen by the worker
 * @param hyperparameters every {@link TrainParams#SET} value, defaults filled in
 */
public record TrainJobSpec(ModelRef model, UUID dataset, String outputName, ParamValues hyperparameters) {

    static final Set<String> FIELDS = Set.of("type", "model", "dataset", "output_name", "hyperparameters");

    /** Reads and validates a request body; the hyperparameters through {@link TrainParams}. */
    public static TrainJobSpec parse(JsonNode body, Validation v) {
        v.onlyFields(body, "", FIELDS);
        String modelText = v.string(body, "", "model", null, 200);
        ModelRef model = null;
        if (modelText != null) {
            model = ModelRef.parse(modelText).orElse(null);
            if (model == null) {
                v.add("model", "format", "must be " + ModelRef.PRESETS.stream().map(n -> ModelRef.PRESET_PREFIX + n)
                        .collect(java.util.stream.Collectors.joining(", ")) + ", a model id or a Hub id"
                        + " (org/name[@revision]), got '" + modelText + "'");
            }
        }
        UUID dataset = uuid(body, "dataset", v);
        String outputName = body.hasNonNull("output_name") ? v.string(body, "", "output_name", null, 200) : null;
        JsonNode h = v.object(body, "", "hyperparameters");
        if (h == null) {
            h = JsonCodec.MAPPER.createObjectNode();
        }
        ParamValues values = ParamsJson.read(TrainParams.SET, h, "hyperparameters", Set.of(), v);
        return new TrainJobSpec(model, dataset, outputName, values);
    }

    static UUID uuid(JsonNode body, String field, Validation v) {
        String text = v.string(body, "", field, null, 64);
        if (text == null) {
            return null;
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            v.add(field, "format", "must be an id (a UUID), got '" + text + "'");
            return null;
        }
    }

    public int steps() {
        return hyperparameters.getInt(TrainParams.STEPS);
    }

    /** The stored spec: every default filled in (the warm-up too), so a job runs the same on any worker version. */
    public ObjectNode toJson() {
        ObjectNode json = JsonCodec.MAPPER.createObjectNode();
        json.put("type", "train");
        json.put("model", model.toString());
        json.put("dataset", dataset.toString());
        if (outputName != null) {
            json.put("output_name", outputName);
        }
        ParamsJson.write(TrainParams.SET, hyperparameters, json.putObject("hyperparameters"));
        return json;
    }

    /** Reads a stored spec (written by {@link #toJson}). */
    public static TrainJobSpec fromJson(JsonNode json) {
        Validation v = new Validation();
        TrainJobSpec spec = parse(json, v);
        v.throwIfAny();
        return spec;
    }
}
