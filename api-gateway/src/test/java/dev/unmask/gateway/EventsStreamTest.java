package dev.unmask.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unmask.shared.json.JsonCodec;
import dev.unmask.shared.store.EventStore;
import dev.unmask.shared.store.JobEvent;
import dev.unmask.shared.store.JobStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** SSE: replay from the database after Last-Event-ID, then live events from Kafka until the terminal status. */
class EventsStreamTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration LEASE = Duration.ofMinutes(1);

    private final TestEnv env = TestEnv.get();
    private final TestEnv.Key key = env.newKey();
    private final Api api = env.api(key);
    private final JobStore jobs = new JobStore(env.db);

    private UUID submit() {
        return UUID.fromString(api.submit(Fixtures.train(Fixtures.dataset(env, key), 3), null).json()
                .path("id").asText());
    }

    private SseClient stream(UUID job, String lastEventId) {
        var request = api.request("/v1/jobs/" + job + "/events").GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return new SseClient(request.build());
    }

    /** Claims, reports progress, a checkpoint and succeeds, as a worker would. */
    private void run(UUID job) {
        assertTrue(jobs.claim(job, "w1", LEASE).isPresent());
        jobs.report(job, "w1", LEASE, 1, 3, "progress", JsonCodec.read("{\"step\":1,\"loss\":2.5}"));
        jobs.report(job, "w1", LEASE, 2, 3, "checkpoint", JsonCodec.read("{\"step\":2}"));
        assertTrue(jobs.succeed(job, "w1", JsonCodec.read("{\"model\":\"m\"}")));
    }

    private static List<SseClient.Event> untilEnd(SseClient sse) throws InterruptedException {
        List<SseClient.Event> events = new ArrayList<>();
        for (Optional<SseClient.Event> e = sse.next(WAIT); e.isPresent(); e = sse.next(WAIT)) {
            events.add(e.get());
        }
        return events;
    }

    @Test
    void replayThenLiveEventsUntilTheTerminalStatusThenTheStreamCloses() throws InterruptedException {
        UUID job = submit();
        try (SseClient sse = stream(job, null)) {
            assertEquals(200, sse.status());
            assertTrue(sse.header("Content-Type").startsWith("text/event-stream"));
            SseClient.Event queued = sse.next(WAIT).orElseThrow();
            assertEquals("status", queued.kind());
            assertEquals("queued", queued.data().path("data").path("status").asText());

            run(job);

            List<SseClient.Event> live = untilEnd(sse);
            assertEquals(List.of("status", "progress", "checkpoint", "status"),
                    live.stream().map(SseClient.Event::kind).toList());
            assertEquals("running", live.get(0).data().path("data").path("status").asText());
            assertEquals(2.5, live.get(1).data().path("data").path("loss").asDouble());
            assertEquals("succeeded", live.get(3).data().path("data").path("status").asText());
            long previous = queued.id();
            for (SseClient.Event e : live) {
                assertTrue(e.id() > previous, "ids grow, no duplicate");
                assertEquals(job.toString(), e.data().path("job_id").asText());
                previous = e.id();
            }
        }
    }

    @Test
    void replayAfterLastEventIdOfAFinishedJob() throws InterruptedException {
        UUID job = submit();
        run(job);
        List<JobEvent> stored = new EventStore(env.db).after(job, 0, 100);
        assertEquals(5, stored.size());

        try (SseClient sse = stream(job, Long.toString(stored.get(1).id()))) {
            List<SseClient.Event> events = untilEnd(sse);
            assertEquals(stored.subList(2, 5).stream().map(JobEvent::id).toList(),
                    events.stream().map(SseClient.Event::id).toList());
            assertEquals("status", events.get(2).kind());
        }
        try (SseClient sse = new SseClient(api.request("/v1/jobs/" + job + "/events?last_event_id="
                + stored.get(3).id()).GET().build())) {
            assertEquals(List.of(stored.get(4).id()), untilEnd(sse).stream().map(SseClient.Event::id).toList());
        }
        try (SseClient sse = stream(job, Long.toString(stored.get(4).id()))) {
            assertEquals(List.of(), untilEnd(sse), "nothing after the terminal event: the stream just ends");
        }
    }

    @Test
    void cancelRequestedIsStreamedAndHeartbeatsKeepTheStreamAlive() throws InterruptedException {
        UUID job = submit();
        try (SseClient sse = stream(job, null)) {
            long queued = sse.next(WAIT).orElseThrow().id();
            assertTrue(jobs.claim(job, "w1", LEASE).isPresent());
            assertEquals(202, api.post("/v1/jobs/" + job + "/cancel", "").status());
            SseClient.Event running = sse.next(WAIT).orElseThrow();
            assertTrue(running.id() > queued);
            assertEquals("cancel_requested", sse.next(WAIT).orElseThrow().kind());
            await().atMost(WAIT).until(() -> sse.comments() >= 3);
            assertTrue(jobs.cancelled(job, "w1"));
            SseClient.Event cancelled = sse.next(WAIT).orElseThrow();
            assertEquals("cancelled", cancelled.data().path("data").path("status").asText());
            assertTrue(sse.next(WAIT).isEmpty());
        }
    }

    @Test
    void aGapInTheLiveFeedIsFilledFromTheDatabase() throws Exception {
        UUID job = submit();
        try (SseClient sse = stream(job, null)) {
            sse.next(WAIT).orElseThrow();
            long missed;
            // An event that never reaches Kafka, as if the consumer had been away when it was published.
            try (Connection c = env.db.dataSource().getConnection();
                    PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO job_events (job_id, kind, data) VALUES (?, 'log', '{\"line\":\"gap\"}') RETURNING id")) {
                ps.setObject(1, job);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    missed = rs.getLong(1);
                }
            }
            env.gateway.events().resyncAll();
            SseClient.Event event = sse.next(WAIT).orElseThrow();
            assertEquals(missed, event.id());
            assertEquals("log", event.kind());
            assertEquals("gap", event.data().path("data").path("line").asText());
        }
    }

    @Test
    void badLastEventIdIs400() {
        UUID job = submit();
        Api.Reply reply = api.send(api.request("/v1/jobs/" + job + "/events").header("Last-Event-ID", "x").GET().build());
        assertEquals(400, reply.status());
        assertEquals("invalid_last_event_id", reply.json().path("code").asText());
    }
}
