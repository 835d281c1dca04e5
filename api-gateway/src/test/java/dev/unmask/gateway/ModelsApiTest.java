package dev.unmask.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ModelsApiTest {
    private final TestEnv env = TestEnv.get();
    private final TestEnv.Key key = env.newKey();
    private final Api api = env.api(key);

    @Test
    void listHasThePresets() {
        JsonNode models = api.get("/v1/models").json().path("models");
        List<String> ids = new ArrayList<>();
        models.forEach(m -> ids.add(m.path("id").asText()));
        assertEquals(List.of("preset:tiny", "preset:small", "preset:base"), ids);
        models.forEach(m -> assertEquals("preset", m.path("kind").asText()));
        assertEquals("preset", api.get("/v1/models/preset:small").json().path("kind").asText());
        assertEquals(404, api.get("/v1/models/preset:huge").status());
    }

    @Test
    void registerAFolderInsideARootThenReadItsFiles() throws IOException {
        Path folder = hfFolder(env.modelRoot.resolve("m-" + UUID.randomUUID()));
        Api.Reply reply = api.post("/v1/models", "{\"name\":\"mine\",\"path\":\"" + folder + "\"}");
        assertEquals(201, reply.status(), reply.text());
        String id = reply.json().path("id").asText();
        assertEquals("registered", reply.json().path("kind").asText());
        assertEquals("/v1/models/" + id, reply.header("Location"));

        JsonNode got = api.get("/v1/models/" + id).json();
        assertEquals(List.of("config.json", "tokenizer.json"), texts(got.path("files")));
        assertTrue(api.get("/v1/models").json().path("models").findValuesAsText("id").contains(id));

        Api.Reply config = api.get("/v1/models/" + id + "/files/config.json");
        assertEquals(200, config.status());
        assertEquals("{\"model_type\":\"roberta\"}", config.text());
        assertEquals("application/json", config.header("Content-Type"));
        Files.writeString(folder.resolveSibling("secret.txt"), "secret");
        for (String bad : List.of("nothing.bin", "..%2Fsecret.txt", "sub", "%2E%2E%2Fsecret.txt", "%00")) {
            assertEquals(404, api.get("/v1/models/" + id + "/files/" + bad).status(), bad);
        }
        // A generate job may now name it.
        assertEquals(202, api.submit(Fixtures.generate(UUID.fromString(id), "hi"), null).status());
    }

    @Test
    void pathsOutsideTheRootsAreRefused() throws IOException {
        Path outside = hfFolder(Files.createTempDirectory("outside-"));
        Path link = env.modelRoot.resolve("link-" + UUID.randomUUID());
        Files.createSymbolicLink(link, outside);
        for (String path : List.of(outside.toString(), env.modelRoot + "/../" + outside.getFileName(),
                link.toString(), "relative/model", "/etc")) {
            Api.Reply reply = api.post("/v1/models", "{\"name\":\"x\",\"path\":\"" + path + "\"}");
            assertEquals(403, reply.status(), path + " -> " + reply.text());
            assertEquals("path_not_allowed", reply.json().path("code").asText());
        }
    }

    @Test
    void folderWithoutConfigIsNotAModel() throws IOException {
        Path empty = Files.createDirectories(env.modelRoot.resolve("empty-" + UUID.randomUUID()));
        Api.Reply reply = api.post("/v1/models", "{\"name\":\"x\",\"path\":\"" + empty + "\"}");
        assertEquals(422, reply.status());
        assertEquals("not_a_model", reply.json().path("code").asText());
        Api.Reply missing = api.post("/v1/models", "{\"name\":\"x\",\"path\":\"" + env.modelRoot.resolve("none") + "\"}");
        assertEquals("not_a_model", missing.json().path("code").asText());
        Api.Reply fields = api.post("/v1/models", "{\"path\":3,\"size\":1}");
        assertEquals(422, fields.status());
        assertEquals(List.of("size:unknown_field", "name:required", "path:type"), fields.errors());
    }

    private static Path hfFolder(Path folder) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("config.json"), "{\"model_type\":\"roberta\"}");
        Files.writeString(folder.resolve("tokenizer.json"), "{}");
        Files.createDirectories(folder.resolve("sub"));
        return folder;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
