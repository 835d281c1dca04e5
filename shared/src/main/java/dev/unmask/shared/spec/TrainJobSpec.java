package dev.unmask.shared.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.shared.json.JsonCodec;
import java.util.Set;
import java.util.UUID;

/**
 * A train job: fine-tune a model (or pretrain a preset from scratch) on a dataset with the
 * diffusion objective. Every hyperparameter has a default (see {@link #parse}).
 *
 * @param outputName the produced model's name; null = "{dataset name}-{model}" chosen by the worker
 * @param warmupSteps null = 5% of steps
 */
public record TrainJobSpec(
        ModelRef model, UUID dataset, String outputName,
        int steps, int batchSize, int seqLen, double learningRate, Integer warmupSteps, String lrDecay,
        double weightDecay, double gradClip, int gradAccumulation, int checkpointEvery, int prefixLen,
        long seed, NoiseSpec noise, int vocabSize, double heldOut, int evalSamples, String precision) {

    static final Set<String> FIELDS = Set.of("type", "model", "dataset", "output_name", "hyperparameters");
    static final Set<String> HYPERPARAMETERS = Set.of("steps", "batch_size", "seq_len", "learning_rate",
            "warmup_steps", "lr_decay", "weight_decay", "grad_clip", "grad_accumulation", "checkpoint_every",
            "prefix_len", "seed", "noise", "vocab_size", "held_out", "eval_samples", "precision");

    /**
     * Reads and validates a request body. Defaults: steps 1000, batch_size 16, seq_len 128,
     * learning_rate 5e-4, warmup_steps 5% of steps, lr_decay linear, weight_decay 0.01,
     * grad_clip 1.0, grad_accumulation 1, checkpoint_every 100 (0 = only the final model),
     * prefix_len 0, seed 0, noise discrete/10 levels, vocab_size 8000 (from-scratch tokenizer),
     * held_out 0.05 of documents, eval_samples 2 (0 = no evaluation), precision fp32 (fp16: mixed
     * precision, on GPU workers only).
     */
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
        String p = "hyperparameters";
        v.onlyFields(h, p, HYPERPARAMETERS);
        int steps = (int) v.integer(h, p, "steps", 1000, 1, 10_000_000);
        int batchSize = (int) v.integer(h, p, "batch_size", 16, 1, 4096);
        int seqLen = (int) v.integer(h, p, "seq_len", 128, 8, 8192);
        double lr = v.number(h, p, "learning_rate", 5e-4, 0, true, 1);
        Integer warmup = h.hasNonNull("warmup_steps") ? (int) v.integer(h, p, "warmup_steps", 0, 0, steps) : null;
        String decay = v.choice(h, p, "lr_decay", "linear", Set.of("linear", "cosine", "constant"));
        double weightDecay = v.number(h, p, "weight_decay", 0.01, 0, false, 1);
        double gradClip = v.number(h, p, "grad_clip", 1.0, 0, false, 1e6);
        int accumulation = (int) v.integer(h, p, "grad_accumulation", 1, 1, 1024);
        int checkpointEvery = (int) v.integer(h, p, "checkpoint_every", 100, 0, 10_000_000);
        int prefixLen = (int) v.integer(h, p, "prefix_len", 0, 0, 8192);
        if (prefixLen >= seqLen) {
            v.add(p + ".prefix_len", "range", "must be smaller than seq_len (" + seqLen + "), got " + prefixLen);
        }
        long seed = v.integer(h, p, "seed", 0, Long.MIN_VALUE, Long.MAX_VALUE);
        JsonNode noiseNode = v.object(h, p, "noise");
        NoiseSpec noise = NoiseSpec.parse(noiseNode, p + ".noise", v);
        int vocabSize = (int) v.integer(h, p, "vocab_size", 8000, 262, 1_000_000);
        double heldOut = v.number(h, p, "held_out", 0.05, 0, false, 0.5);
        int evalSamples = (int) v.integer(h, p, "eval_samples", 2, 0, 100);
        String precision = v.choice(h, p, "precision", "fp32", Set.of("fp32", "fp16"));
        return new TrainJobSpec(model, dataset, outputName, steps, batchSize, seqLen, lr, warmup, decay, weightDecay,
                gradClip, accumulation, checkpointEvery, prefixLen, seed, noise, vocabSize, heldOut, evalSamples,
                precision);
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

    /** The warmup the run uses: the given one, else 5% of steps. */
    public int effectiveWarmup() {
        return warmupSteps != null ? warmupSteps : steps / 20;
    }

    /** The stored spec: every default filled in, so a job runs the same on any worker version. */
    public ObjectNode toJson() {
        ObjectNode json = JsonCodec.MAPPER.createObjectNode();
        json.put("type", "train");
        json.put("model", model.toString());
        json.put("dataset", dataset.toString());
        if (outputName != null) {
            json.put("output_name", outputName);
        }
        ObjectNode h = json.putObject("hyperparameters");
        h.put("steps", steps);
        h.put("batch_size", batchSize);
        h.put("seq_len", seqLen);
        h.put("learning_rate", learningRate);
        h.put("warmup_steps", effectiveWarmup());
        h.put("lr_decay", lrDecay);
        h.put("weight_decay", weightDecay);
        h.put("grad_clip", gradClip);
        h.put("grad_accumulation", gradAccumulation);
        h.put("checkpoint_every", checkpointEvery);
        h.put("prefix_len", prefixLen);
        h.put("seed", seed);
        h.set("noise", noise.toJson());
        h.put("vocab_size", vocabSize);
        h.put("held_out", heldOut);
        h.put("eval_samples", evalSamples);
        h.put("precision", precision);
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
