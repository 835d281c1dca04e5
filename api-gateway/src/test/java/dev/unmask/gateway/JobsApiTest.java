package dev.unmask.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.shared.job.Job;
import dev.unmask.shared.job.JobStatus;
import dev.unmask.shared.job.Topics;
import dev.unmask.shared.json.JsonCodec;
import dev.unmask.shared.store.CheckpointStore;
import dev.unmask.shared.store.JobStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class JobsApiTest {
    private final TestEnv env = TestEnv.get();
    private final TestEnv.Key key = env.newKey();
    private final Api api = env.api(key);
    private final JobStore jobs = new JobStore(env.db);

    @Test
    void submitTrainIsAcceptedStoredAndPublishedOnTheTrainTopic() {
        UUID dataset = Fixtures.dataset(env, key);
        Api.Reply reply = api.submit(Fixtures.train(dataset, 7), null);

        assertEquals(202, reply.status(), reply.text());
        JsonNode job = reply.json();
        String id = job.path("id").asText();
        assertEquals("/v1/jobs/" + id, reply.header("Location"));
        assertEquals("train", job.path("type").asText());
        assertEquals("queued", job.path("status").asText());
        assertEquals(7, job.path("progress").path("total").asLong());
        assertEquals(0, job.path("progress").path("step").asLong());
        assertTrue(job.path("error").isNull());
        assertTrue(job.path("result").isNull());
        assertTrue(job.path("started_at").isNull());
        assertEquals(dataset.toString(), job.path("spec").path("dataset").asText());
        assertEquals(Job.class, jobs.find(UUID.fromString(id)).orElseThrow().getClass());

        try (TopicReader reader = new TopicReader(env.kafka.bootstrapServers(), Topics.TRAIN)) {
            ConsumerRecord<String, String> record = reader.awaitKey(id);
            JsonNode delivery = JsonCodec.read(record.value());
            assertEquals(id, delivery.path("job_id").asText());
            assertEquals("train", delivery.path("type").asText());
        }
    }

    @Test
    void submitGenerateGoesToTheGenerateTopicAndGetReturnsIt() {
        UUID model = Fixtures.model(env, key);
        Api.Reply reply = api.submit(Fixtures.generate(model, "Once upon"), null);

        assertEquals(202, reply.status(), reply.text());
        String id = reply.json().path("id").asText();
        assertEquals(8, reply.json().path("progress").path("total").asLong(), "steps 4 x n 2");
        try (TopicReader reader = new TopicReader(env.kafka.bootstrapServers(), Topics.GENERATE)) {
            assertEquals("generate", JsonCodec.read(reader.awaitKey(id).value()).path("type").asText());
        }
        Api.Reply got = api.get("/v1/jobs/" + id);
        assertEquals(200, got.status());
        assertEquals(reply.json().path("spec"), got.json().path("spec"));
        assertEquals("Once upon", got.json().path("spec").path("prompt").asText());
    }

    @Test
    void listPagesNewestFirstWithACursorAndFilters() {
        UUID dataset = Fixtures.dataset(env, key);
        UUID model = Fixtures.model(env, key);
        List<String> submitted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String body = i % 2 == 0 ? Fixtures.train(dataset, 10 + i) : Fixtures.generate(model, "p" + i);
            submitted.add(0, api.submit(body, null).json().path("id").asText());
        }
        List<String> listed = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Api.Reply page = api.get("/v1/jobs?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertEquals(200, page.status(), page.text());
            page.json().path("jobs").forEach(j -> listed.add(j.path("id").asText()));
            JsonNode next = page.json().path("next_cursor");
            assertTrue(page.json().has("next_cursor"));
            cursor = next.isNull() ? null : next.asText();
            pages++;
        } while (cursor != null);
        assertEquals(submitted, listed);
        assertEquals(3, pages);

        Api.Reply generates = api.get("/v1/jobs?type=generate&status=queued");
        assertEquals(2, generates.json().path("jobs").size());
        generates.json().path("jobs").forEach(j -> assertEquals("generate", j.path("type").asText()));
        assertEquals(0, api.get("/v1/jobs?status=running").json().path("jobs").size());
        assertEquals(5, api.get("/v1/jobs").json().path("jobs").size());
    }

    @Test
    void badListParametersAreNamed() {
        Api.Reply status = api.get("/v1/jobs?status=done&type=x&limit=500");
        assertEquals(422, status.status());
        assertEquals(Set.of("status:enum", "type:enum", "limit:range"), new HashSet<>(status.errors()));
        assertEquals("validation_failed", status.json().path("code").asText());
        assertEquals(List.of("limit:type"), api.get("/v1/jobs?limit=ten").errors());
        assertEquals(List.of("limit:range"), api.get("/v1/jobs?limit=0").errors());
        Api.Reply cursor = api.get("/v1/jobs?cursor=not-a-cursor");
        assertEquals(400, cursor.status());
        assertEquals("invalid_cursor", cursor.json().path("code").asText());
    }

    @Test
    void sameIdempotencyKeyAndBodyGiveTheSameJobAnotherBodyConflicts() {
        UUID dataset = Fixtures.dataset(env, key);
        UUID model = Fixtures.model(env, key);
        Api.Reply first = api.submit(Fixtures.train(dataset, 3), "key-1");
        Api.Reply again = api.submit(Fixtures.train(dataset, 3), "key-1");
        assertEquals(202, first.status());
        assertEquals(200, again.status());
        assertEquals(first.json().path("id"), again.json().path("id"));
        assertEquals(first.header("Location"), again.header("Location"));

        Api.Reply other = api.submit(Fixtures.train(dataset, 4), "key-1");
        assertEquals(409, other.status());
        assertEquals("idempotency_conflict", other.json().path("code").asText());

        // A generate body without a seed draws one, yet the same body still matches its key.
        Api.Reply gen1 = api.submit(Fixtures.generate(model, "x"), "key-2");
        Api.Reply gen2 = api.submit(Fixtures.generate(model, "x"), "key-2");
        assertEquals(gen1.json().path("id"), gen2.json().path("id"));
        // The same Idempotency-Key of another API key is another job.
        TestEnv.Key otherKey = env.newKey();
        Api.Reply otherOwner = env.api(otherKey).submit(Fixtures.train(Fixtures.dataset(env, otherKey), 3), "key-1");
        assertEquals(202, otherOwner.status(), otherOwner.text());
        assertNotEquals(first.json().path("id"), api.submit(Fixtures.train(dataset, 3), null).json().path("id"));
    }

    @Test
    void cancelQueuedCancelsAtOnce() {
        String id = api.submit(Fixtures.train(Fixtures.dataset(env, key), 3), null).json().path("id").asText();
        Api.Reply cancel = api.post("/v1/jobs/" + id + "/cancel", "");
        assertEquals(202, cancel.status(), cancel.text());
        assertEquals("cancelled", cancel.json().path("status").asText());
        assertFalse(cancel.json().path("finished_at").isNull());
        assertEquals(JobStatus.CANCELLED, jobs.find(UUID.fromString(id)).orElseThrow().status());
    }

    @Test
    void cancelRunningRequestsCancellationAndCancelFinishedConflicts() {
        UUID id = UUID.fromString(api.submit(Fixtures.train(Fixtures.dataset(env, key), 3), null).json()
                .path("id").asText());
        assertTrue(jobs.claim(id, "worker-1", Duration.ofMinutes(1)).isPresent());

        Api.Reply cancel = api.post("/v1/jobs/" + id + "/cancel", "");
        assertEquals(202, cancel.status(), cancel.text());
        assertEquals("running", cancel.json().path("status").asText());
        assertTrue(cancel.json().path("cancel_requested").asBoolean());
        assertTrue(jobs.heartbeat(id, "worker-1", Duration.ofMinutes(1)).cancelRequested());

        assertTrue(jobs.cancelled(id, "worker-1"));
        Api.Reply again = api.post("/v1/jobs/" + id + "/cancel", "");
        assertEquals(409, again.status());
        assertEquals("job_finished", again.json().path("code").asText());
    }

    @Test
    void checkpointsAreListedInStepOrder() {
        UUID id = UUID.fromString(api.submit(Fixtures.train(Fixtures.dataset(env, key), 300), null).json()
                .path("id").asText());
        CheckpointStore checkpoints = new CheckpointStore(env.db);
        String folder = env.artifacts.resolve("jobs").resolve(id.toString()).toString();
        checkpoints.record(id, 200, folder + "/checkpoint-000200", JsonCodec.read("{\"loss\":2.5}"));
        checkpoints.record(id, 100, folder + "/checkpoint-000100", JsonCodec.read("{\"loss\":3.0}"));

        Api.Reply reply = api.get("/v1/jobs/" + id + "/checkpoints");
        assertEquals(200, reply.status(), reply.text());
        JsonNode list = reply.json().path("checkpoints");
        assertEquals(2, list.size());
        assertEquals(100, list.get(0).path("step").asLong());
        assertEquals("jobs/" + id + "/checkpoint-000100", list.get(0).path("artifact").asText(),
                "relative to the artifact store, no absolute server path");
        assertFalse(reply.text().contains(env.artifacts.toString()), reply.text());
        assertEquals(3.0, list.get(0).path("metrics").path("loss").asDouble());
        assertNotNull(list.get(1).path("created_at").textValue());
    }

    @Test
    void failedRetryingJobShowsItsError() {
        UUID id = UUID.fromString(api.submit(Fixtures.train(Fixtures.dataset(env, key), 3), null).json()
                .path("id").asText());
        jobs.claim(id, "worker-1", Duration.ofMinutes(1));
        jobs.fail(id, "worker-1", dev.unmask.shared.job.JobError.transientError("oom", "out of memory"),
                Duration.ofHours(1));
        JsonNode job = api.get("/v1/jobs/" + id).json();
        assertEquals("queued", job.path("status").asText());
        assertEquals("oom", job.path("error").path("code").asText());
        assertEquals("out of memory", job.path("error").path("message").asText());
        assertEquals(1, job.path("attempts").asInt());
    }
}
