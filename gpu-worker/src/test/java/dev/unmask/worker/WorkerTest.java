package dev.unmask.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.shared.job.Job;
import dev.unmask.shared.job.JobStatus;
import dev.unmask.shared.job.Topics;
import dev.unmask.shared.json.JsonCodec;
import dev.unmask.shared.spec.JobRequest;
import dev.unmask.shared.store.ApiKeyStore;
import dev.unmask.shared.store.Checkpoint;
import dev.unmask.shared.store.CheckpointStore;
import dev.unmask.shared.store.Dataset;
import dev.unmask.shared.store.DatasetStore;
import dev.unmask.shared.store.EventStore;
import dev.unmask.shared.store.JobEvent;
import dev.unmask.shared.store.JobStore;
import dev.unmask.shared.store.Model;
import dev.unmask.shared.store.ModelStore;
import dev.unmask.shared.artifact.ArtifactStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.read.ListAppender;
import dev.unmask.shared.metrics.ProcessMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers against a real PostgreSQL and Kafka, running the real engine on a tiny model: train,
 * generate, cancel, a killed worker process's job resumed elsewhere, duplicate delivery. Each test
 * submits its own jobs; the fixtures (owner, dataset, a model for generate jobs) are made once,
 * by the engine itself, before any test.
 */
class WorkerTest {
    @RegisterExtension
    static final Platform P = new Platform();

    @TempDir static Path logs;
    static JobStore jobs;
    static UUID owner;
    static Dataset dataset;
    /** A model (trained by the engine, not by a test) for the generate jobs. */
    static UUID model;

    @BeforeAll
    static void data() throws Exception {
        jobs = new JobStore(P.db);
        owner = new ApiKeyStore(P.db).upsert("worker-test", "worker-test-secret");
        UUID id = UUID.randomUUID();
        Path file = new ArtifactStore(P.artifacts).datasetFile(id, "text");
        Files.writeString(file, corpus(), StandardCharsets.UTF_8);
        dataset = new DatasetStore(P.db).insert(id, owner, "toy", "text", Files.size(file), 400, file.toString());
        Path folder = TinyModel.train(file, P.artifacts.resolve("fixture-model"));
        model = new ModelStore(P.db).insert(owner, "fixture", "trained", folder.toString(), null).id();
    }

    /** 400 short sentences with a little structure to learn. */
    static String corpus() {
        String[] who = {"the cat", "a dog", "my friend", "the teacher", "our neighbour"};
        String[] did = {"saw", "liked", "found", "painted", "followed"};
        String[] what = {"a red ball", "the old house", "a small boat", "the green tree", "a quiet river"};
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            out.append(who[i % 5]).append(' ').append(did[(i / 5) % 5]).append(' ').append(what[(i / 25) % 5])
                    .append(" on day ").append(i % 7).append(".\n");
        }
        return out.toString();
    }

    static Job submit(String body) {
        JobRequest request = JobRequest.parse(JsonCodec.read(body));
        return jobs.submit(owner, request.type(), request.specJson(), 3, null, null, 0).job();
    }

    static String train(int steps, int checkpointEvery) {
        return "{\"type\":\"train\",\"model\":\"preset:tiny\",\"dataset\":\"" + dataset.id() + "\","
                + "\"hyperparameters\":{\"steps\":" + steps + ",\"batch_size\":4,\"seq_len\":32,\"learning_rate\":0.001,"
                + "\"checkpoint_every\":" + checkpointEvery + ",\"vocab_size\":300,\"eval_samples\":1,\"held_out\":0.1}}";
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

    static String generate(String prompt, int n) {
        return "{\"type\":\"generate\",\"model\":\"" + model + "\",\"prompt\":\"" + prompt
                + "\",\"max_tokens\":12,\"steps\":4,\"n\":" + n + ",\"seed\":7}";
    }

    @Test
    void aTrainJobProducesAModelWithCheckpointsAndEvents() throws Exception {
        try (Worker worker = Worker.start(P.settings("w-train"), P.db)) {
            Job job = submit(train(20, 10));
            Job done = awaitStatus(job.id(), JobStatus.SUCCEEDED, 180);
            JsonNode result = done.result();
            Model produced = new ModelStore(P.db).find(UUID.fromString(result.path("model").asText())).orElseThrow();
            assertEquals("trained", produced.kind());
            assertEquals(job.id(), produced.sourceJob());
            for (String file : List.of("config.json", "model.safetensors", "tokenizer.json")) {
                assertTrue(Files.isRegularFile(Path.of(produced.uri()).resolve(file)), file);
            }
            List<Checkpoint> checkpoints = new CheckpointStore(P.db).list(job.id());
            assertEquals(List.of(10L, 20L), checkpoints.stream().map(Checkpoint::step).toList());
            assertTrue(Files.isDirectory(Path.of(checkpoints.get(0).uri())));
            assertEquals(2, result.path("checkpoints").size());
            assertTrue(result.path("final_loss").asDouble() > 0);
            assertTrue(result.path("eval").has("elbo_perplexity"), result.toString());
            assertEquals(20, done.progressStep());
            List<JobEvent> events = new EventStore(P.db).after(job.id(), 0, 1000);
            assertEquals(20, events.stream().filter(e -> e.kind().equals("progress")).count());
            assertEquals(2, events.stream().filter(e -> e.kind().equals("checkpoint")).count());
        }
    }

    @Test
    void generateJobsPublishedTogetherShareOneCanvas() throws Exception {
        try (Worker worker = Worker.start(P.settings("w-generate"), P.db)) {
            List<UUID> generated = new ArrayList<>();
            P.pauseRelay();
            try {
                for (String prompt : List.of("the cat", "a dog saw", "")) {
                    generated.add(submit(generate(prompt, 2)).id());
                }
            } finally {
                P.resumeRelay(); // its first pass publishes the three at once: they reach one poll
            }
            for (UUID id : generated) {
                Job g = awaitStatus(id, JobStatus.SUCCEEDED, 60);
                assertEquals(2, g.result().path("texts").size());
                assertTrue(g.result().path("tokens").asInt() > 0);
                assertEquals(6, g.result().path("canvas_rows").asInt(), g.result().toString());
                List<JobEvent> frames = new EventStore(P.db).after(id, 0, 1000).stream()
                        .filter(e -> e.kind().equals("frame")).toList();
                assertFalse(frames.isEmpty());
                assertTrue(frames.get(0).data().has("canvas"));
            }
        }
    }

    @Test
    void theSameRecordDeliveredTwiceRunsOnce() throws Exception {
        try (Worker worker = Worker.start(P.settings("w-dup"), P.db)) {
            Job job = submit(generate("the cat", 1));
            String record = "{\"job_id\":\"" + job.id() + "\",\"type\":\"generate\",\"attempts\":0}";
            P.publish(Topics.GENERATE, job.id().toString(), record);
            P.publish(Topics.GENERATE, job.id().toString(), record);
            Job done = awaitStatus(job.id(), JobStatus.SUCCEEDED, 60);
            assertEquals(1, done.attempts());
            long runs = new EventStore(P.db).after(job.id(), 0, 1000).stream()
                    .filter(e -> e.kind().equals("status") && e.data().path("status").asText().equals("running"))
                    .count();
            assertEquals(1, runs);
        }
    }

    @Test
    void cancellingARunningTrainingStopsItWithinAStep() {
        // A 60 s lease: the heartbeat (every 20 s) would learn of the cancel far too late, so only the
        // check between steps can pass this test.
        try (Worker worker = Worker.start(P.settings("w-cancel", 60), P.db)) {
            Job job = submit(train(100_000, 0));
            await().atMost(Duration.ofSeconds(120)).until(() -> jobs.find(job.id()).orElseThrow().progressStep() >= 2);
            long atRequest = jobs.requestCancel(job.id()).job().progressStep(); // read in the cancelling transaction
            Job cancelled = awaitStatus(job.id(), JobStatus.CANCELLED, 30);
            // The report of step atRequest + 1 may have been in flight; the one after it learns of the cancel,
            // and no further step starts.
            assertTrue(cancelled.progressStep() <= atRequest + 2,
                    "cancel requested at step " + atRequest + ", stopped at " + cancelled.progressStep());
        }
    }

    @Test
    void aJobOfAKilledWorkerProcessResumesFromItsCheckpointOnAnother() throws Exception {
        Job job = submit(train(60, 10));
        try (WorkerProcess first = WorkerProcess.start(P.env("w-killed"), logs)) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                    .failFast(() -> !first.alive())
                    .until(() -> !new CheckpointStore(P.db).list(job.id()).isEmpty());
            assertEquals("w-killed", jobs.find(job.id()).orElseThrow().workerId(), first::log);
            first.kill();
        }
        try (Worker second = Worker.start(P.settings("w-rescues"), P.db)) {
            Job done = awaitStatus(job.id(), JobStatus.SUCCEEDED, 180);
            assertEquals("w-rescues", done.workerId());
            assertEquals(2, done.attempts());
            assertTrue(done.result().path("resumed_from_step").asInt() >= 10, done.result().toString());
            assertEquals(60, done.result().path("steps").asInt());
        }
    }

    private static HttpResponse<String> get(MetricsEndpoint endpoint, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + endpoint.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aJobsLogLinesAreJsonWithItsIdAndTheWorkerServesItsMetrics() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        Job job;
        String scraped;
        java.util.concurrent.atomic.AtomicBoolean ready = new java.util.concurrent.atomic.AtomicBoolean();
        try (ProcessMetrics metrics = new ProcessMetrics();
                MetricsEndpoint endpoint = MetricsEndpoint.start(0, metrics::scrape, ready::get);
                Worker worker = Worker.start(P.settings("w-logs"), P.db, metrics.registry())) {
            assertEquals(200, get(endpoint, "/health/live").statusCode());
            assertEquals(503, get(endpoint, "/health/ready").statusCode());
            ready.set(true);
            assertEquals(200, get(endpoint, "/health/ready").statusCode());
            assertEquals(404, get(endpoint, "/nothing").statusCode());
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(worker::consuming);
            job = submit(generate("the cat", 1));
            awaitStatus(job.id(), JobStatus.SUCCEEDED, 60);
            HttpResponse<String> reply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, reply.statusCode());
            assertEquals(MetricsEndpoint.CONTENT_TYPE, reply.headers().firstValue("Content-Type").orElse(""));
            scraped = reply.body();
        } finally {
            root.detachAppender(captured);
        }
        assertTrue(scraped.contains("unmask_worker_attempts_total{outcome=\"succeeded\",type=\"generate\",worker=\"w-logs\"} 1.0"),
                scraped);
        assertTrue(scraped.contains("unmask_worker_generated_tokens_total{worker=\"w-logs\"}"));
        assertTrue(scraped.contains("process_memory_rss_bytes "));
        List<JobEvent> progress = new EventStore(P.db).after(job.id(), 0, 1000).stream()
                .filter(e -> e.kind().equals("progress")).toList();
        assertEquals(1, progress.size(), "a generate job's one progress event, when its texts are written");
        assertTrue(progress.get(0).data().path("tokens_per_second").asDouble() > 0);

        String id = job.id().toString();
        List<ILoggingEvent> aboutTheJob = captured.list.stream()
                .filter(e -> e.getFormattedMessage().contains(id)).toList();
        assertTrue(aboutTheJob.size() >= 2, "claimed and succeeded are logged: " + aboutTheJob);
        Set<String> threads = new java.util.HashSet<>();
        for (ILoggingEvent e : aboutTheJob) {
            assertTrue(e.getMDCPropertyMap().getOrDefault("job_id", "").contains(id),
                    () -> "no job_id on: [" + e.getThreadName() + "] " + e.getFormattedMessage());
            threads.add(e.getThreadName());
        }
        assertTrue(threads.size() >= 2, "the consumer thread claims, the job thread finishes: " + threads);

        Encoder<ILoggingEvent> json = productionEncoder();
        for (ILoggingEvent e : aboutTheJob) {
            String line = new String(json.encode(e), StandardCharsets.UTF_8);
            assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, "one line: " + line);
            JsonNode parsed = JsonCodec.read(line);
            assertEquals(id, parsed.path("mdc").path("job_id").asText(), line);
            assertEquals(e.getFormattedMessage(), parsed.path("formattedMessage").asText());
            assertEquals(e.getLevel().toString(), parsed.path("level").asText());
            assertTrue(parsed.path("timestamp").asLong() > 0);
        }
    }

    /** The encoder of the services' {@code logback.xml} (shared), configured as in production. */
    @SuppressWarnings("unchecked")
    private static Encoder<ILoggingEvent> productionEncoder() throws Exception {
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(WorkerTest.class.getResource("/logback.xml"));
        var appender = (OutputStreamAppender<ILoggingEvent>) context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
                .getAppender("STDERR");
        return appender.getEncoder();
    }
}
