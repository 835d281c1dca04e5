package dev.unmask.shared.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.shared.json.JsonCodec;
import java.util.Set;

/**
 * The training noise: {@code {"schedule":"discrete","levels":10}} (one ratio per batch from
 * 1, (N-1)/N, ..., 1/N) or {@code {"schedule":"continuous","eps":0.001}} (t ~ U(eps, 1) per
 * sequence, loss weighted 1/t). Default: discrete, 10 levels.
 */
public record NoiseSpec(String schedule, int levels, double eps) {
    public static final NoiseSpec DEFAULT = new NoiseSpec("discrete", 10, 0.001);

    static NoiseSpec parse(JsonNode node, String path, Validation v) {
        if (node == null) {
            return DEFAULT;
        }
        String schedule = v.choice(node, path, "schedule", "discrete", Set.of("discrete", "continuous"));
        if ("continuous".equals(schedule)) {
            v.onlyFields(node, path, Set.of("schedule", "eps"));
            double eps = v.number(node, path, "eps", 0.001, 0, true, 0.5);
            return new NoiseSpec("continuous", 0, eps);
        }
        v.onlyFields(node, path, Set.of("schedule", "levels"));
        int levels = (int) v.integer(node, path, "levels", 10, 1, 1000);
        return new NoiseSpec("discrete", levels, 0);
    }

    public ObjectNode toJson() {
        ObjectNode json = JsonCodec.MAPPER.createObjectNode();
        json.put("schedule", schedule);
        if ("continuous".equals(schedule)) {
            json.put("eps", eps);
        } else {
            json.put("levels", levels);
        }
        return json;
    }

    public static NoiseSpec fromJson(JsonNode json) {
        return "continuous".equals(json.path("schedule").asText())
                ? new NoiseSpec("continuous", 0, json.path("eps").asDouble())
                : new NoiseSpec("discrete", json.path("levels").asInt(), 0);
    }
}
