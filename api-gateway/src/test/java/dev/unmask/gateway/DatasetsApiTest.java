package dev.unmask.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class DatasetsApiTest {
    private final TestEnv env = TestEnv.get();
    private final TestEnv.Key key = env.newKey();
    private final Api api = env.api(key);

    @Test
    void textUploadCountsNonBlankLinesAndIsStoredWhole() throws IOException {
        byte[] body = "the first document\n\nthe second one\r\n  \nthird, ünïcode\n".getBytes(StandardCharsets.UTF_8);
        Api.Reply reply = api.post("/v1/datasets?name=tiny%20corpus", "text/plain; charset=utf-8", body);

        assertEquals(201, reply.status(), reply.text());
        JsonNode d = reply.json();
        assertEquals("tiny corpus", d.path("name").asText());
        assertEquals("text", d.path("format").asText());
        assertEquals(body.length, d.path("bytes").asLong());
        assertEquals(3, d.path("documents").asLong());
        assertEquals("/v1/datasets/" + d.path("id").asText(), reply.header("Location"));
        Path file = env.artifacts.resolve("datasets").resolve(d.path("id").asText() + ".txt");
        assertArrayEquals(body, Files.readAllBytes(file));

        assertEquals(d, api.get("/v1/datasets/" + d.path("id").asText()).json());
        assertEquals(d, api.get("/v1/datasets").json().path("datasets").get(0));
    }

    @Test
    void jsonlUploadOfTextOrPromptCompletionLines() {
        String text = "{\"text\":\"a\"}\n{\"text\":\"b\",\"source\":1}\n\n{\"text\":\" \"}\n";
        Api.Reply reply = api.post("/v1/datasets?name=j", "application/x-ndjson", text.getBytes(StandardCharsets.UTF_8));
        assertEquals(201, reply.status(), reply.text());
        assertEquals("jsonl", reply.json().path("format").asText());
        assertEquals(2, reply.json().path("documents").asLong(), "blank text is no document");

        String pairs = "{\"prompt\":\"Q: 1+1\",\"completion\":\" 2\"}\n{\"prompt\":\"Q\",\"completion\":\" A\"}";
        Api.Reply pc = api.post("/v1/datasets?name=pc", "application/x-ndjson", pairs.getBytes(StandardCharsets.UTF_8));
        assertEquals(201, pc.status(), pc.text());
        assertEquals(2, pc.json().path("documents").asLong());
    }

    @Test
    void invalidUtf8IsRefusedNamingTheLineAndTheFileIsDeleted() throws IOException {
        byte[] body = "ok\nok too\nbad \u00ff here\n".getBytes(StandardCharsets.ISO_8859_1);
        Api.Reply reply = api.post("/v1/datasets?name=bad", "text/plain", body);
        assertEquals(422, reply.status(), reply.text());
        assertEquals("invalid_dataset", reply.json().path("code").asText());
        assertEquals(List.of("line 3:invalid_utf8"), reply.errors());
        assertNoDatasetFiles();
    }

    @Test
    void badJsonLinesAreNamed() throws IOException {
        String body = "{\"text\":\"a\"}\n{\"text\":\n[1]\n{\"txt\":\"b\"}\n{\"text\":5}\n";
        Api.Reply reply = api.post("/v1/datasets?name=bad", "application/x-ndjson", body.getBytes(StandardCharsets.UTF_8));
        assertEquals(422, reply.status(), reply.text());
        assertEquals(List.of("line 2:invalid_json", "line 3:not_an_object", "line 4:missing_field",
                "line 5:missing_field"), reply.errors());
        assertNoDatasetFiles();
    }

    @Test
    void emptyDatasetIsRefused() {
        Api.Reply reply = api.post("/v1/datasets?name=empty", "text/plain", " \n\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(422, reply.status());
        assertEquals(List.of("body:empty"), reply.errors());
    }

    @Test
    void tooLargeIs413WithContentLengthOrChunked() throws IOException {
        byte[] big = "x".repeat((int) TestEnv.MAX_DATASET_BYTES + 10).getBytes(StandardCharsets.UTF_8);
        Api.Reply declared = api.post("/v1/datasets?name=big", "text/plain", big);
        assertEquals(413, declared.status(), declared.text());
        assertEquals("payload_too_large", declared.json().path("code").asText());

        HttpRequest chunked = api.request("/v1/datasets?name=big").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();
        Api.Reply streamed = api.send(chunked);
        assertEquals(413, streamed.status(), streamed.text());
        assertNoDatasetFiles();

        byte[] exact = "y".repeat((int) TestEnv.MAX_DATASET_BYTES).getBytes(StandardCharsets.UTF_8);
        HttpRequest fits = api.request("/v1/datasets?name=fits").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(exact))).build();
        assertEquals(201, api.send(fits).status());
    }

    @Test
    void nameAndMediaTypeAreRequired() {
        Api.Reply noName = api.post("/v1/datasets", "text/plain", "a\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(422, noName.status());
        assertEquals(List.of("name:required"), noName.errors());
        Api.Reply json = api.post("/v1/datasets?name=x", "application/json", "{}".getBytes(StandardCharsets.UTF_8));
        assertEquals(415, json.status());
        assertEquals("unsupported_media_type", json.json().path("code").asText());
    }

    private void assertNoDatasetFiles() throws IOException {
        // Only datasets that were accepted stay: every file belongs to a row.
        try (Stream<Path> files = Files.list(env.artifacts.resolve("datasets"))) {
            List<String> names = files.map(p -> p.getFileName().toString().replaceAll("\\..*", "")).toList();
            for (String name : names) {
                assertTrue(new dev.unmask.shared.store.DatasetStore(env.db).find(java.util.UUID.fromString(name))
                        .isPresent(), "orphan dataset file " + name);
            }
        }
        assertFalse(api.get("/v1/datasets").json().path("datasets").findValuesAsText("name").contains("bad"));
    }
}
