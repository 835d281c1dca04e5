package dev.unmask.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.standalone.client.ApiClient;
import dev.unmask.standalone.drill.Drill;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole system in one process, used only through HTTP: upload, train from scratch, follow the
 * event stream, download the produced model, generate from it; then a restart on the same data
 * directory still has the job, the model and the generated key.
 */
class StandaloneTest {
    @TempDir
    Path data;

    @Test
    void uploadTrainStreamDownloadGenerateThenRestartKeepsEverything() throws Exception {
        String key;
        String trainJob;
        String model;
        try (Standalone system = Standalone.start(new StandaloneOptions(0, data, 1), Map.of())) {
            key = system.apiKey();
            assertEquals(key, Files.readString(data.resolve(Standalone.KEY_FILE)).trim());
            ApiClient api = new ApiClient("http://127.0.0.1:" + system.port(), key);
            assertEquals(200, api.get("/health/ready").status());

            ApiClient.Reply upload = api.post("/v1/datasets?name=toy", "text/plain", Drill.corpus());
            assertEquals(201, upload.status(), String.valueOf(upload.body()));
            assertEquals(300, upload.body().path("documents").asInt());
            ApiClient.Reply submitted = api.post("/v1/jobs", "application/json", "{\"type\":\"train\","
                    + "\"model\":\"preset:tiny\",\"dataset\":\"" + upload.body().path("id").asText() + "\","
                    + "\"output_name\":\"toy-tiny\",\"hyperparameters\":{\"steps\":12,\"batch_size\":4,\"seq_len\":32,"
                    + "\"vocab_size\":300,\"checkpoint_every\":6,\"eval_samples\":1,\"held_out\":0.1}}");
            assertEquals(202, submitted.status(), String.valueOf(submitted.body()));
            trainJob = submitted.body().path("id").asText();

            List<JsonNode> events = new ArrayList<>();
            api.events(trainJob, events::add);
            List<String> kinds = events.stream().map(e -> e.path("kind").asText()).toList();
            assertEquals(12, kinds.stream().filter("progress"::equals).count(), kinds.toString());
            assertEquals(2, kinds.stream().filter("checkpoint"::equals).count(), kinds.toString());
            JsonNode last = events.get(events.size() - 1);
            assertEquals("succeeded", last.path("data").path("status").asText(), last.toString());

            JsonNode job = api.get("/v1/jobs/" + trainJob).body();
            model = job.path("result").path("model").asText();
            assertEquals(2, api.get("/v1/jobs/" + trainJob + "/checkpoints").body().path("checkpoints").size());
            ApiClient.Reply config = api.get("/v1/models/" + model + "/files/config.json");
            assertEquals(200, config.status());
            assertEquals("roberta", config.body().path("model_type").asText());

            ApiClient.Reply gen = api.post("/v1/jobs", "application/json", "{\"type\":\"generate\",\"model\":\""
                    + model + "\",\"prompt\":\"the cat\",\"max_tokens\":10,\"steps\":3,\"strategy\":\"topk\",\"seed\":3}");
            assertEquals(202, gen.status(), String.valueOf(gen.body()));
            List<JsonNode> frames = new ArrayList<>();
            api.events(gen.body().path("id").asText(), e -> {
                if (e.path("kind").asText().equals("frame")) {
                    frames.add(e.path("data"));
                }
                return true;
            });
            assertEquals(3, frames.size());
            assertTrue(frames.get(0).path("masked").asInt() > frames.get(2).path("masked").asInt());
            JsonNode done = api.get("/v1/jobs/" + gen.body().path("id").asText()).body();
            assertEquals("succeeded", done.path("status").asText(), done.toString());
            assertEquals(1, done.path("result").path("texts").size());
        }
        try (Standalone again = Standalone.start(new StandaloneOptions(0, data, 0), Map.of())) {
            assertEquals(key, again.apiKey());
            ApiClient api = new ApiClient("http://127.0.0.1:" + again.port(), key);
            assertEquals("succeeded", api.get("/v1/jobs/" + trainJob).body().path("status").asText());
            assertEquals(200, api.get("/v1/models/" + model).status());
            assertEquals(1, api.get("/v1/datasets").body().path("datasets").size());
        }
    }
}
