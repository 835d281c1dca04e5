package dev.unmask.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.shared.artifact.ArtifactStore;
import dev.unmask.shared.job.Job;
import dev.unmask.shared.job.JobStatus;
import dev.unmask.shared.json.JsonCodec;
import dev.unmask.shared.spec.JobRequest;
import dev.unmask.shared.store.ApiKeyStore;
import dev.unmask.shared.store.Checkpoint;
import dev.unmask.shared.store.CheckpointStore;
import dev.unmask.shared.store.DatasetStore;
import dev.unmask.shared.store.EventStore;
import dev.unmask.shared.store.JobStore;
import dev.unmask.shared.store.JobEvent;
import dev.unmask.shared.store.Model;
import dev.unmask.shared.store.ModelStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GPT-2 through the worker against a real PostgreSQL and Kafka: a generate job streams every new
 * token as a {@code frame} event, and a train job on {@code preset:gpt2-tiny} trains next-token
 * prediction into a registered GPT-2 model that generate jobs can use.
 */
class Gpt2JobsTest {
    @RegisterExtension
    static final Platform P = new Platform();

    static JobStore jobs;
    static UUID owner;
    static UUID dataset;
    /** The engine's tiny-gpt2 fixture, registered as a model. */
    static UUID fixture;

    @BeforeAll
    static void data() throws Exception {
        jobs = new JobStore(P.db);
        owner = new ApiKeyStore(P.db).upsert("gpt2-test", "gpt2-test-secret");
        UUID id = UUID.randomUUID();
        Path file = new ArtifactStore(P.artifacts).datasetFile(id, "text");
        Files.writeString(file, WorkerTest.corpus(), StandardCharsets.UTF_8);
        dataset = new DatasetStore(P.db).insert(id, owner, "toy", "text", Files.size(file), 400,
                file.toString()).id();
        Path folder = Path.of(Gpt2JobsTest.class.getResource("/tiny-gpt2").toURI());
        fixture = new ModelStore(P.db).insert(owner, "tiny-gpt2", "trained", folder.toString(), null).id();
    }

    static String generate(UUID model, int maxTokens, int n) {
        return "{\"type\":\"generate\",\"model\":\"" + model + "\",\"prompt\":\"The cat sat on\",\"max_tokens\":"
                + maxTokens + ",\"n\":" + n + ",\"seed\":3,\"temperature\":0.8}";
    }

    static Job submit(String body) {
        JobRequest request = JobRequest.parse(JsonCodec.read(body));
        return jobs.submit(owner, request.type(), request.specJson(), 3, null, null, 0).job();
    }

    static Job awaitStatus(UUID id, JobStatus status, int seconds) {
        await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(100))
                .until(() -> jobs.find(id).orElseThrow().status().terminal()
                        || jobs.find(id).orElseThrow().status() == status);
        Job job = jobs.find(id).orElseThrow();
        assertEquals(status, job.status(), () -> "job " + id + " is " + job.status() + " error " + job.errorCode()
                + ": " + job.errorMessage());
        return job;
    }

    static List<JobEvent> events(UUID job, String kind) {
        return new EventStore(P.db).after(job, 0, 10_000).stream().filter(e -> e.kind().equals(kind)).toList();
    }

    @Test
    void aGenerateJobStreamsEveryNewTokenAsAFrame() {
        try (Worker worker = Worker.start(P.settings("w-gpt2-generate"), P.db)) {
            Job job = submit(generate(fixture, 10, 2));
            Job done = awaitStatus(job.id(), JobStatus.SUCCEEDED, 60);
            JsonNode result = done.result();
            assertEquals(2, result.path("texts").size(), result.toString());
            for (int index = 0; index < 2; index++) {
                int row = index;
                List<JobEvent> frames = events(job.id(), "frame").stream()
                        .filter(e -> e.data().path("index").asInt() == row).toList();
                String full = result.path("full_texts").path(row).asText();
                assertTrue(full.startsWith("The cat sat on"), full);
                assertTrue(frames.size() >= 1 && frames.size() <= 10, frames.size() + " frames");
                for (int i = 0; i < frames.size(); i++) {
                    JsonNode data = frames.get(i).data();
                    assertEquals(i + 1, data.path("step").asInt(), "one frame per new token, in order");
                    assertEquals(10, data.path("total").asInt(), "a GPT-2 text takes max_tokens steps, not spec.steps");
                    assertTrue(data.path("canvas").asText().startsWith("The cat sat on"), data.toString());
                }
                String last = frames.get(frames.size() - 1).data().path("canvas").asText();
                assertEquals(full, last, "the last frame is the text written");
            }
            assertEquals(10, done.progressTotal(), "progress counts tokens of max_tokens");
            assertEquals(1, events(job.id(), "progress").size());
        }
    }

    @Test
    void aTrainJobOnAGpt2PresetTrainsNextTokenPredictionIntoAModelThatGenerates() throws Exception {
        try (Worker worker = Worker.start(P.settings("w-gpt2-train"), P.db)) {
            Job job = submit("{\"type\":\"train\",\"model\":\"preset:gpt2-tiny\",\"dataset\":\"" + dataset
                    + "\",\"hyperparameters\":{\"steps\":6,\"batch_size\":4,\"seq_len\":32,\"learning_rate\":0.003,"
                    + "\"checkpoint_every\":3,\"vocab_size\":300,\"eval_samples\":1,\"held_out\":0.1}}");
            Job done = awaitStatus(job.id(), JobStatus.SUCCEEDED, 120);
            JsonNode result = done.result();
            assertTrue(result.path("eval").path("perplexity").asDouble() > 1, result.toString());
            assertTrue(result.path("eval").path("unigram_perplexity").asDouble() > 1, result.toString());
            assertEquals(6, result.path("steps").asInt());
            assertEquals(6, events(job.id(), "progress").size());
            assertEquals(List.of(3L, 6L), new CheckpointStore(P.db).list(job.id()).stream().map(Checkpoint::step)
                    .toList());
            Model produced = new ModelStore(P.db).find(UUID.fromString(result.path("model").asText())).orElseThrow();
            assertEquals("toy-gpt2-tiny", produced.name());
            JsonNode config = JsonCodec.read(Files.readString(Path.of(produced.uri()).resolve("config.json")));
            assertEquals("gpt2", config.path("model_type").asText());

            Job generated = awaitStatus(submit(generate(produced.id(), 4, 1)).id(),
                    JobStatus.SUCCEEDED, 60);
            assertTrue(!events(generated.id(), "frame").isEmpty(), "the trained GPT-2 streams its tokens");
        }
    }
}
