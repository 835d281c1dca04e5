package dev.unmask.shared.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.shared.job.JobType;
import java.util.Set;

/** A validated {@code POST /v1/jobs} body: its type and its spec with every default filled in. */
public record JobRequest(JobType type, TrainJobSpec train, GenerateJobSpec generate) {

    /** @throws ValidationException naming every bad field */
    public static JobRequest parse(JsonNode body) {
        Validation v = new Validation();
        if (body == null || !body.isObject()) {
            throw ValidationException.of("", "type", "the body must be a JSON object");
        }
        String type = v.choice(body, "", "type", null, Set.of("train", "generate"));
        v.throwIfAny();
        JobRequest request = switch (JobType.parse(type)) {
            case TRAIN -> new JobRequest(JobType.TRAIN, TrainJobSpec.parse(body, v), null);
            case GENERATE -> new JobRequest(JobType.GENERATE, null, GenerateJobSpec.parse(body, v));
        };
        v.throwIfAny();
        return request;
    }

    public ObjectNode specJson() {
        return type == JobType.TRAIN ? train.toJson() : generate.toJson();
    }
}
