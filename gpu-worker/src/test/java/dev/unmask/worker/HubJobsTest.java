package dev.unmask.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unmask.diffusion.hub.HubEnvironment;
import dev.unmask.shared.config.Settings;
import dev.unmask.shared.job.Job;
import dev.unmask.shared.job.JobStatus;
import dev.unmask.shared.json.JsonCodec;
import dev.unmask.shared.spec.JobRequest;
import dev.unmask.shared.spec.ModelRef;
import dev.unmask.shared.store.ApiKeyStore;
import dev.unmask.shared.store.DatasetStore;
import dev.unmask.shared.store.EventStore;
import dev.unmask.shared.store.JobEvent;
import dev.unmask.shared.store.JobStore;
import dev.unmask.shared.store.ModelStore;
import dev.unmask.shared.artifact.ArtifactStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Train and generate jobs that name a Hub id: resolved by the worker into the shared HF cache, logged while it downloads. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HubJobsTest {
    @RegisterExtension
    static final Platform P = new Platform();
    static final Path FIXTURE = Path.of("../diffusion/src/test/resources/hf-parity/tiny-roberta");

    static MiniHub hub;
    static Worker worker;
    static JobStore jobs;
    static UUID owner;
    static UUID dataset;

    @BeforeAll
    static void start() throws Exception {
        hub = new MiniHub("unmask-test/tiny-roberta", FIXTURE, "config.json", "model.safetensors", "tokenizer.json",
                "tokenizer_config.json");
        jobs = new JobStore(P.db);
        owner = new ApiKeyStore(P.db).upsert("hub-test", "hub-test-secret");
        UUID id = UUID.randomUUID();
        Path file = new ArtifactStore(P.artifacts).datasetFile(id, "text");
        Files.writeString(file, WorkerTest.corpus(), StandardCharsets.UTF_8);
        dataset = new DatasetStore(P.db).insert(id, owner, "toy", "text", Files.size(file), 400, file.toString())
                .id();
        HubEnvironment env = HubEnvironment.fromEnv(Map.of("HF_HOME", P.artifacts.resolve("hf-home").toString(),
                "HF_ENDPOINT", hub.endpoint().toString())).withCacheDir(Settings.hfCache(Map.of(), P.artifacts));
        worker = Worker.start(P.settings("w-hub"), P.db, new SimpleMeterRegistry(), env);
    }

    @AfterAll
    static void stop() {
        worker.close();
        hub.close();
    }

    static Job submit(String body) {
        JobRequest request = JobRequest.parse(JsonCodec.read(body));
        return jobs.submit(owner, request.type(), request.specJson(), 3, null, null, 0).job();
    }

    static Job awaitStatus(UUID id, JobStatus status, int seconds) {
        await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(100))
                .until(() -> jobs.find(id).orElseThrow().status().terminal());
        Job job = jobs.find(id).orElseThrow();
        assertEquals(status, job.status(), () -> "job " + id + " is " + job.status() + " error " + job.errorCode()
                + ": " + job.errorMessage());
        return job;
    }

    static List<String> logs(UUID job) {
        return new EventStore(P.db).after(job, 0, 1000).stream().filter(e -> e.kind().equals("log"))
                .map(JobEvent::data).map(d -> d.path("message").asText()).toList();
    }

    @Test
    @Order(1) // the first to name the model: it downloads
    void generateAndTrainFromAHubIdDownloadOnceIntoTheSharedCache() {
        Job generate = submit("{\"type\":\"generate\",\"model\":\"unmask-test/tiny-roberta\",\"prompt\":\"the cat\","
                + "\"max_tokens\":6,\"steps\":2,\"seed\":1}");
        Job done = awaitStatus(generate.id(), JobStatus.SUCCEEDED, 120);
        assertEquals(1, done.result().path("texts").size(), done.result().toString());
        List<String> logs = logs(generate.id());
        assertTrue(logs.contains(String.format(java.util.Locale.ROOT, "downloaded unmask-test/tiny-roberta: model.safetensors %.1f/%.1f MB",
                567176 / 1e6, 567176 / 1e6)), logs.toString());
        assertTrue(logs.stream().anyMatch(l -> l.startsWith("downloading unmask-test/tiny-roberta: config.json")), logs.toString());
        Path snapshot = P.artifacts.resolve("hf-cache/models--unmask-test--tiny-roberta/snapshots").resolve(MiniHub.COMMIT);
        assertTrue(Files.isSymbolicLink(snapshot.resolve("model.safetensors")), "UNMASK_HF_CACHE defaults to <artifacts>/hf-cache");

        int before = hub.requests.get();
        Job train = submit("{\"type\":\"train\",\"model\":\"unmask-test/tiny-roberta@main\",\"dataset\":\"" + dataset
                + "\",\"hyperparameters\":{\"steps\":2,\"batch_size\":4,\"seq_len\":32,\"eval_samples\":0,\"held_out\":0.1}}");
        Job trained = awaitStatus(train.id(), JobStatus.SUCCEEDED, 180);
        assertEquals("toy-tiny-roberta", trained.result().path("model_name").asText(), trained.result().toString());
        assertEquals(before, hub.requests.get(), "the second job found the model in the cache");
        assertTrue(logs(train.id()).stream().noneMatch(l -> l.startsWith("downloading")), logs(train.id()).toString());
    }

    @Test
    @Order(2)
    void aModelRegisteredFromTheHubIsResolvedByItsUri() {
        UUID model = new ModelStore(P.db).insert(owner, "roberta", "registered",
                ModelRef.HUB_URI_PREFIX + "unmask-test/tiny-roberta@main", null).id();
        Job job = submit("{\"type\":\"generate\",\"model\":\"" + model + "\",\"prompt\":\"a dog\",\"max_tokens\":4,"
                + "\"steps\":2,\"n\":2,\"seed\":3}");
        Job done = awaitStatus(job.id(), JobStatus.SUCCEEDED, 120);
        assertEquals(2, done.result().path("texts").size(), done.result().toString());

        Job train = submit("{\"type\":\"train\",\"model\":\"" + model + "\",\"dataset\":\"" + dataset
                + "\",\"hyperparameters\":{\"steps\":1,\"batch_size\":4,\"seq_len\":32,\"eval_samples\":0,\"held_out\":0.1}}");
        assertEquals("toy-roberta", awaitStatus(train.id(), JobStatus.SUCCEEDED, 180).result().path("model_name").asText());
    }

    @Test
    @Order(3)
    void aPrivateOrMissingRepositoryFailsTheJobForGood() {
        Job job = submit("{\"type\":\"generate\",\"model\":\"unmask-test/private-model\",\"prompt\":\"x\"}");
        Job failed = awaitStatus(job.id(), JobStatus.FAILED, 60);
        assertEquals("hub_unauthorized", failed.errorCode());
        assertEquals(1, failed.attempts(), "permanent: not retried");
        assertTrue(failed.errorMessage().contains("needs HF_TOKEN"), failed.errorMessage());
    }
}
