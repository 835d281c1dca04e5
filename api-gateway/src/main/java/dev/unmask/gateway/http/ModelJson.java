package dev.unmask.gateway.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.shared.json.JsonCodec;
import dev.unmask.shared.spec.ModelRef;
import dev.unmask.shared.store.Model;

/** Models as the API shows them: {@code {id, name, kind, source_job, created_at}}. */
final class ModelJson {
    private ModelJson() {}

    static ObjectNode of(Model m) {
        ObjectNode json = JsonCodec.MAPPER.createObjectNode();
        json.put("id", m.id().toString());
        json.put("name", m.name());
        json.put("kind", m.kind());
        ModelRef.hubIdOfUri(m.uri()).ifPresent(hub -> json.put("hub", hub));
        json.put("source_job", m.sourceJob() == null ? null : m.sourceJob().toString());
        JobJson.putInstant(json, "created_at", m.createdAt());
        return json;
    }

    /** A built-in preset: an architecture without weights, usable as a train job's model. */
    static ObjectNode preset(String name) {
        ObjectNode json = JsonCodec.MAPPER.createObjectNode();
        json.put("id", ModelRef.PRESET_PREFIX + name);
        json.put("name", name);
        json.put("kind", "preset");
        json.putNull("source_job");
        json.putNull("created_at");
        return json;
    }
}
