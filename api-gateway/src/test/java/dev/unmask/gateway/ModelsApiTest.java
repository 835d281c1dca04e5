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
import org.junit.jupiter.api.io.TempDir;

class ModelsApiTest {
    private final TestEnv env = TestEnv.get();
    private final TestEnv.Key key = env.newKey();
    private final Api api = env.api(key);

    @Test
    void listHasThePresets() {
        JsonNode models = api.get("/v1/models").json().path("models");
        List<String> ids = new ArrayList<>();
        models.forEach(m -> ids.add(m.path("id").asText()));
        assertEquals(List.of("preset:tiny", "preset:small", "preset:base", "preset:gpt2-tiny", "preset:gpt2-small",
                "preset:gpt2-base"), ids);
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
    void aHubIdRegistersAModelTheWorkerFetches() {
        Api.Reply reply = api.post("/v1/models", "{\"name\":\"roberta\",\"hub\":\"FacebookAI/roberta-base@main\"}");
        assertEquals(201, reply.status(), reply.text());
        String id = reply.json().path("id").asText();
        assertEquals("registered", reply.json().path("kind").asText());
        assertEquals("FacebookAI/roberta-base@main", reply.json().path("hub").asText());
        JsonNode got = api.get("/v1/models/" + id).json();
        assertEquals("FacebookAI/roberta-base@main", got.path("hub").asText());
        assertEquals(List.of(), texts(got.path("files")), "nothing is fetched by the gateway");
        assertEquals(404, api.get("/v1/models/" + id + "/files/config.json").status());
        assertEquals(202, api.submit(Fixtures.generate(UUID.fromString(id), "hi"), null).status());

        assertEquals(List.of("hub:format"), api.post("/v1/models", "{\"name\":\"x\",\"hub\":\"../etc/passwd\"}").errors());
        assertEquals(List.of("hub:exclusive"),
                api.post("/v1/models", "{\"name\":\"x\",\"hub\":\"a/b\",\"path\":\"/tmp\"}").errors());
    }

    @Test
    void pathsOutsideTheRootsAreRefused(@TempDir Path scratch) throws IOException {
        Path outside = hfFolder(Files.createTempDirectory(scratch, "outside-"));
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

    @Test
    void aLinkInsideAModelFolderLeadsNowhere() throws IOException {
        TestEnv.Key other = env.newKey();
        Api otherApi = env.api(other);
        Api.Reply upload = otherApi.post("/v1/datasets?name=private", "text/plain",
                "the other key's private corpus\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(201, upload.status(), upload.text());
        Path theirFile;
        try (var files = Files.list(env.artifacts.resolve("datasets"))) {
            theirFile = files.filter(f -> f.getFileName().toString().startsWith(upload.json().path("id").asText()))
                    .findFirst().orElseThrow();
        }
        Path folder = hfFolder(env.modelRoot.resolve("links-" + UUID.randomUUID()));
        Files.createSymbolicLink(folder.resolve("leak.txt"), theirFile);
        Files.createSymbolicLink(folder.resolve("dangling.txt"), folder.resolve("nothing"));
        Files.writeString(folder.resolve("sub").resolve("inner.txt"), "inner");
        Files.createSymbolicLink(folder.resolve("inner-link.txt"), folder.resolve("sub").resolve("inner.txt"));
        Api.Reply reply = api.post("/v1/models", "{\"name\":\"links\",\"path\":\"" + folder + "\"}");
        assertEquals(201, reply.status(), reply.text());
        String id = reply.json().path("id").asText();

        assertEquals(List.of("config.json", "inner-link.txt", "tokenizer.json"),
                texts(api.get("/v1/models/" + id).json().path("files")), "links that leave the folder are not listed");
        Api.Reply leak = api.get("/v1/models/" + id + "/files/leak.txt");
        assertEquals(404, leak.status(), leak.text());
        assertTrue(!leak.text().contains("private corpus"), leak.text());
        assertEquals(404, api.get("/v1/models/" + id + "/files/dangling.txt").status());
        assertEquals("inner", api.get("/v1/models/" + id + "/files/inner-link.txt").text(), "a link inside is fine");
    }

    @Test
    void aFolderWhoseConfigOrWeightsLeadOutsideIsRefused(@TempDir Path scratch) throws IOException {
        Path outside = Files.createTempDirectory(scratch, "outside-files-");
        Files.writeString(outside.resolve("config.json"), "{\"model_type\":\"bert\"}");
        Files.writeString(outside.resolve("model.safetensors"), "weights");
        for (String linked : List.of("config.json", "model.safetensors")) {
            Path folder = hfFolder(env.modelRoot.resolve("out-" + UUID.randomUUID()));
            Files.delete(folder.resolve("config.json"));
            if (linked.equals("config.json")) {
                Files.createSymbolicLink(folder.resolve("config.json"), outside.resolve("config.json"));
            } else {
                Files.writeString(folder.resolve("config.json"), "{}");
                Files.createSymbolicLink(folder.resolve("model.safetensors"), outside.resolve("model.safetensors"));
            }
            Api.Reply reply = api.post("/v1/models", "{\"name\":\"x\",\"path\":\"" + folder + "\"}");
            assertEquals(403, reply.status(), linked + " -> " + reply.text());
            assertEquals("path_not_allowed", reply.json().path("code").asText());
            assertTrue(reply.json().path("detail").asText().contains(linked), reply.text());
        }
    }

    @Test
    void aCheckpointOfOnesOwnJobRegistersAsAModel() throws IOException {
        UUID job = UUID.fromString(api.submit(Fixtures.train(Fixtures.dataset(env, key), 300), null).json()
                .path("id").asText());
        Path checkpoint = hfFolder(env.artifacts.resolve("jobs").resolve(job.toString()).resolve("checkpoint-000100"));
        new dev.unmask.shared.store.CheckpointStore(env.db).record(job, 100, checkpoint.toString(),
                dev.unmask.shared.json.JsonCodec.read("{\"loss\":3.0}"));

        Api.Reply reply = api.post("/v1/models", "{\"name\":\"ckpt\",\"checkpoint\":{\"job\":\"" + job
                + "\",\"step\":100}}");
        assertEquals(201, reply.status(), reply.text());
        assertEquals("registered", reply.json().path("kind").asText());
        assertEquals(job.toString(), reply.json().path("source_job").asText());
        assertTrue(!reply.text().contains(env.artifacts.toString()), "no server path: " + reply.text());
        assertEquals(202, api.submit(Fixtures.generate(UUID.fromString(reply.json().path("id").asText()), "hi"), null)
                .status(), "a generate job may name it");

        assertEquals(404, api.post("/v1/models", "{\"name\":\"c\",\"checkpoint\":{\"job\":\"" + job
                + "\",\"step\":200}}").status(), "no checkpoint at that step");
        assertEquals(404, env.api(env.newKey()).post("/v1/models", "{\"name\":\"c\",\"checkpoint\":{\"job\":\""
                + job + "\",\"step\":100}}").status(), "another key's job");
        Api.Reply both = api.post("/v1/models", "{\"name\":\"c\",\"path\":\"/x\",\"checkpoint\":{\"job\":\"nope\"}}");
        assertEquals(422, both.status());
        assertEquals(List.of("path:exclusive", "checkpoint.step:required", "checkpoint.job:type"), both.errors());
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
