package dev.unmask.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unmask.shared.json.JsonCodec;
import dev.unmask.shared.store.JobStore;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics}: Prometheus text that parses, job counters and histograms that move with a
 * job's events, gauges read from PostgreSQL and Kafka, HTTP timings by route template, the process.
 */
class MetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration LEASE = Duration.ofMinutes(1);

    private final TestEnv env = TestEnv.get();
    private final TestEnv.Key key = env.newKey();
    private final Api api = env.api(key);
    private final JobStore jobs = new JobStore(env.db);

    private PrometheusText scrape() {
        Api.Reply reply = new Api(env.gateway.port(), null).get("/metrics");
        assertEquals(200, reply.status(), reply::toString);
        assertTrue(reply.header("Content-Type").startsWith("text/plain; version=0.0.4"), reply.header("Content-Type"));
        return PrometheusText.parse(reply.text());
    }

    @Test
    void aSubmittedThenFinishedJobMovesTheCountersAndHistograms() {
        PrometheusText before = scrape();
        UUID dataset = Fixtures.dataset(env, key);
        Api.Reply submitted = api.submit(Fixtures.train(dataset, 3), null);
        assertEquals(202, submitted.status(), submitted::toString);
        UUID job = UUID.fromString(submitted.json().path("id").asText());
        assertEquals(200, api.get("/v1/jobs/" + job).status());

        await().atMost(WAIT).until(() -> scrape().value("unmask_jobs_submitted_total", "type", "train")
                > before.value("unmask_jobs_submitted_total", "type", "train"));
        await().atMost(WAIT).until(() -> scrape().value("unmask_jobs_queued", "type", "train") >= 1);
        await().atMost(WAIT).until(() -> scrape().value("unmask_kafka_consumer_lag_records",
                "group", "unmask-share-train", "topic", "unmask.jobs.train") >= 1);

        String worker = "metrics-" + UUID.randomUUID();
        assertTrue(jobs.claim(job, worker, LEASE).isPresent());
        jobs.report(job, worker, LEASE, 1, 3, "progress", JsonCodec.read("{\"step\":1,\"tokens_per_second\":1234.5}"));
        await().atMost(WAIT).until(() -> scrape().value("unmask_worker_tokens_per_second", "worker", worker,
                "type", "train") == 1234.5);
        PrometheusText running = scrape();
        await().atMost(WAIT).until(() -> scrape().find("unmask_worker_heartbeat_age_seconds", "worker", worker) != null);
        assertTrue(scrape().value("unmask_worker_heartbeat_age_seconds", "worker", worker) < LEASE.toSeconds());
        assertTrue(running.value("unmask_job_start_latency_seconds_count", "type", "train")
                > before.value("unmask_job_start_latency_seconds_count", "type", "train"));

        assertTrue(jobs.succeed(job, worker, JsonCodec.read("{\"model\":\"m\"}")));
        await().atMost(WAIT).until(() -> scrape().value("unmask_jobs_finished_total", "type", "train",
                "status", "succeeded") > before.value("unmask_jobs_finished_total", "type", "train", "status", "succeeded"));
        PrometheusText after = scrape();
        assertEquals(before.value("unmask_job_duration_seconds_count", "type", "train", "status", "succeeded") + 1,
                after.value("unmask_job_duration_seconds_count", "type", "train", "status", "succeeded"));
        assertNotNull(after.find("unmask_job_duration_seconds_bucket", "type", "train", "status", "succeeded",
                "le", "+Inf"));
        assertEquals(0, after.value("unmask_worker_tokens_per_second", "worker", worker, "type", "train"),
                "a worker whose job ended reads 0");
        assertEquals("counter", after.types.get(after.family("unmask_jobs_finished_total")));
        assertEquals("histogram", after.types.get(after.family("unmask_job_duration_seconds_bucket")));
        await().atMost(WAIT).until(() -> scrape().find("unmask_worker_heartbeat_age_seconds", "worker", worker) == null);
    }

    @Test
    void aJobIsCountedAsSubmittedOnceWhenItsRequestIsRepeated() {
        UUID dataset = Fixtures.dataset(env, key);
        String idempotencyKey = "metrics-" + UUID.randomUUID();
        double before = scrape().value("unmask_jobs_submitted_total", "type", "train");
        Api.Reply first = api.submit(Fixtures.train(dataset, 3), idempotencyKey);
        assertEquals(202, first.status(), first::toString);
        assertEquals(before + 1, scrape().value("unmask_jobs_submitted_total", "type", "train"),
                "counted before its reply was sent");
        Api.Reply again = api.submit(Fixtures.train(dataset, 3), idempotencyKey);
        assertEquals(200, again.status(), again::toString);
        assertEquals(first.json().path("id").asText(), again.json().path("id").asText());
        assertEquals(before + 1, scrape().value("unmask_jobs_submitted_total", "type", "train"),
                "the repeated request is not counted again");
    }

    @Test
    void requestsAreTimedByRouteTemplateNeverByRawPath() {
        UUID missing = UUID.randomUUID();
        assertEquals(404, api.get("/v1/jobs/" + missing).status());
        assertEquals(401, new Api(env.gateway.port(), null).get("/v1/jobs/" + missing).status());
        int unrouted = api.post("/no/such/" + missing, "{}").status();
        assertTrue(unrouted == 404 || unrouted == 405, "no route: " + unrouted);
        await().atMost(WAIT).until(() -> scrape().find("http_server_requests_seconds_count", "method", "GET",
                "route", "/v1/jobs/{id}", "status", "401") != null);
        PrometheusText metrics = scrape();
        assertTrue(metrics.value("http_server_requests_seconds_count", "method", "GET", "route", "/v1/jobs/{id}",
                "status", "404") >= 1);
        assertTrue(metrics.value("http_server_requests_seconds_count", "method", "POST", "route", "unmatched") >= 1);
        assertNotNull(metrics.find("http_server_requests_seconds_bucket", "route", "/v1/jobs/{id}", "le", "0.1"));
        assertFalse(metrics.samples.keySet().stream().anyMatch(s -> s.contains(missing.toString())),
                "no raw path in a label");
    }

    @Test
    void theProcessReportsItsJvmAndNativeMemory() {
        PrometheusText metrics = scrape();
        assertTrue(metrics.value("process_memory_rss_bytes") > 16 * 1024 * 1024, "resident set size in bytes");
        assertTrue(metrics.value("jvm_memory_used_bytes", "area", "heap") > 0);
        assertTrue(metrics.value("jvm_threads_live_threads") > 0);
        assertNotNull(metrics.family("jvm_gc_memory_allocated_bytes_total"), "GC meters are declared");
    }
}
