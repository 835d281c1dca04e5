package dev.unmask.diffusion.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.diffusion.noise.ContinuousTime;
import dev.unmask.diffusion.noise.DiscreteLevels;
import dev.unmask.diffusion.noise.NoiseSchedule;
import dev.unmask.diffusion.util.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything that decides what a training run computes, by the names the API and the command line
 * use: a checkpoint records it ({@code trainer_state.json}, {@code config}), and a resume compares it
 * with the configuration it was started with. The device is not part of it.
 *
 * @param fields in a fixed order; values as JSON
 */
public record RunConfig(Map<String, JsonNode> fields) {
    /**
     * What a resume may change when asked to ({@code --allow-config-change}): the run's length,
     * how often it checkpoints, and the evaluation after it. Changing {@code steps} stretches the
     * learning-rate decay to the new end; everything else (batch, data, seed, optimizer, noise,
     * sequence length, precision) would make the resumed run another run, and is always refused.
     */
    public static final Set<String> SAFE_TO_CHANGE = Set.of("steps", "checkpoint_every", "eval_samples");

    public RunConfig {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** The trainer's part: optimizer, schedule, noise, masking, seed, precision. */
    public static RunConfig of(TrainConfig c) {
        return new RunConfig(Map.of())
                .with("steps", c.steps())
                .with("batch_size", c.batchSize())
                .with("grad_accumulation", c.gradAccumulation())
                .with("learning_rate", c.learningRate())
                .with("warmup_steps", c.warmupSteps())
                .with("lr_decay", c.decay().name().toLowerCase(java.util.Locale.ROOT))
                .with("weight_decay", c.weightDecay())
                .with("grad_clip", c.gradClip())
                .with("adam_beta1", c.beta1())
                .with("adam_beta2", c.beta2())
                .with("adam_eps", c.adamEps())
                .with("checkpoint_every", c.checkpointEvery())
                .with("prefix_len", c.prefixLen())
                .with("random_prefix", c.randomPrefix())
                .with("noise", noise(c.noise()))
                .with("seed", c.seed())
                .with("precision", c.precision().name().toLowerCase(java.util.Locale.ROOT));
    }

    private static Map<String, Object> noise(NoiseSchedule noise) {
        Map<String, Object> n = new LinkedHashMap<>();
        if (noise instanceof DiscreteLevels d) {
            n.put("schedule", "discrete");
            n.put("levels", d.levels());
        } else if (noise instanceof ContinuousTime t) {
            n.put("schedule", "continuous");
            n.put("eps", t.eps());
        } else {
            n.put("schedule", noise.toString());
        }
        return n;
    }

    /** This configuration and one more field (replacing one of that name). */
    public RunConfig with(String field, Object value) {
        Map<String, JsonNode> f = new LinkedHashMap<>(fields);
        f.put(field, value == null ? NullNode.getInstance() : Json.MAPPER.valueToTree(value));
        return new RunConfig(f);
    }

    public ObjectNode toJson() {
        ObjectNode json = Json.MAPPER.createObjectNode();
        fields.forEach(json::set);
        return json;
    }

    public static RunConfig fromJson(JsonNode json) {
        Map<String, JsonNode> f = new LinkedHashMap<>();
        json.properties().forEach(e -> f.put(e.getKey(), e.getValue()));
        return new RunConfig(f);
    }

    /** Every field whose value here (a checkpoint's) differs from {@code now}'s, in field order. */
    public List<ConfigDifference> differences(RunConfig now) {
        Set<String> names = new LinkedHashSet<>(fields.keySet());
        names.addAll(now.fields.keySet());
        List<ConfigDifference> out = new ArrayList<>();
        for (String name : names) {
            JsonNode expected = fields.getOrDefault(name, NullNode.getInstance());
            JsonNode actual = now.fields.getOrDefault(name, NullNode.getInstance());
            if (!same(expected, actual)) {
                out.add(new ConfigDifference(name, expected, actual));
            }
        }
        return out;
    }

    /**
     * Equal as JSON, numbers by value at any depth (a long written is an int read back, and a
     * checkpoint's {@code 1} and a spec's {@code 1.0} are one learning rate).
     */
    private static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isContainerNode() && b.isContainerNode() && a.isArray() == b.isArray() && a.size() == b.size()) {
            if (a.isArray()) {
                for (int i = 0; i < a.size(); i++) {
                    if (!same(a.get(i), b.get(i))) {
                        return false;
                    }
                }
                return true;
            }
            for (Map.Entry<String, JsonNode> e : a.properties()) {
                if (!b.has(e.getKey()) || !same(e.getValue(), b.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }
}
