package dev.unmask.gateway.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.shared.json.JsonCodec;
import dev.unmask.shared.store.Dataset;

/** A dataset as the API shows it: {@code {id, name, format, bytes, documents, created_at}}. */
final class DatasetJson {
    private DatasetJson() {}

    static ObjectNode of(Dataset d) {
        ObjectNode json = JsonCodec.MAPPER.createObjectNode();
        json.put("id", d.id().toString());
        json.put("name", d.name());
        json.put("format", d.format());
        json.put("bytes", d.bytes());
        json.put("documents", d.documents());
        JobJson.putInstant(json, "created_at", d.createdAt());
        return json;
    }
}
