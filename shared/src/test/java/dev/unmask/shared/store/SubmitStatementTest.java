package dev.unmask.shared.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.shared.job.Job;
import dev.unmask.shared.job.JobType;
import dev.unmask.shared.job.Topics;
import dev.unmask.shared.json.JsonCodec;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The one-statement submit writes what the Java code of the other transitions writes: a status
 * event whose data is {@link JobStore#statusData} and a delivery record that is
 * {@link JobStore#delivery}; no events-topic record (no stream can be open on a job before its
 * submit commits: a stream replays the event from the table); a taken idempotency key writes nothing.
 */
class SubmitStatementTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @Test
    void timesAreRenderedAsInstantToStringRendersThem() {
        for (String t : List.of("2026-12-01T12:21:06Z", "2026-12-01T12:21:06.500Z", "2026-12-01T12:21:06.012Z",
                "2026-12-01T12:21:06.000100Z", "2026-12-01T12:21:06.642916Z", "1999-01-02T03:04:05.000010Z")) {
            Instant at = Instant.parse(t);
            String sql = PG.db().statement("render", c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT " + InstantSql.text("t") + " FROM (SELECT ?::timestamptz AS t) s")) {
                    ps.setString(1, at.toString());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getString(1);
                    }
                }
            });
            assertEquals(at.toString(), sql, "rendered " + t);
        }
    }

    @Test
    void theEventAndTheDeliveryRecordAreWhatJavaWouldBuildFromTheRow() {
        JobStore jobs = new JobStore(PG.db());
        UUID owner = new ApiKeyStore(PG.db()).upsert("key-" + UUID.randomUUID(), ApiKeyStore.newSecret());
        ObjectNode spec = JsonCodec.MAPPER.createObjectNode().put("type", "generate").put("prompt", "a \"quoted\" cat");
        Job job = jobs.submit(owner, JobType.GENERATE, spec, 3, null, null, 8).job();

        List<JobEvent> events = new EventStore(PG.db()).after(job.id(), 0, 10);
        assertEquals(1, events.size());
        assertEquals("status", events.get(0).kind());
        assertEquals(JobStore.statusData(job), events.get(0).data());
        assertEquals(job.createdAt(), events.get(0).createdAt());

        assertEquals(List.of(), payloads(Topics.EVENTS, job.id()));
        assertEquals(List.of(reread(JobStore.delivery(job))), payloads(Topics.GENERATE, job.id()));
        assertEquals(spec, job.spec());
    }

    @Test
    void aTakenKeyWritesNoEventAndNoRecord() {
        JobStore jobs = new JobStore(PG.db());
        UUID owner = new ApiKeyStore(PG.db()).upsert("key-" + UUID.randomUUID(), ApiKeyStore.newSecret());
        ObjectNode spec = JsonCodec.MAPPER.createObjectNode().put("type", "train");
        Submitted first = jobs.submit(owner, JobType.TRAIN, spec, 3, "same", "h", 10);
        Submitted again = jobs.submit(owner, JobType.TRAIN, spec, 3, "same", "h", 10);
        assertTrue(first.created());
        assertFalse(again.created());
        assertEquals(first.job(), again.job());
        assertEquals(1, new EventStore(PG.db()).after(first.job().id(), 0, 10).size());
        assertEquals(0, payloads(Topics.EVENTS, first.job().id()).size());
        assertEquals(1, payloads(Topics.TRAIN, first.job().id()).size());
    }

    /** As a consumer reads it: numbers parsed from text (a long id that fits becomes an int node). */
    private static JsonNode reread(JsonNode json) {
        return JsonCodec.read(JsonCodec.write(json));
    }

    @Test
    void aBatchCommitsEveryJobWithItsRecordsAndRefusesOnlyTheJobWhoseKeyWasUsedForAnotherRequest() {
        JobStore jobs = new JobStore(PG.db());
        UUID owner = new ApiKeyStore(PG.db()).upsert("key-" + UUID.randomUUID(), ApiKeyStore.newSecret());
        ObjectNode train = JsonCodec.MAPPER.createObjectNode().put("type", "train");
        ObjectNode generate = JsonCodec.MAPPER.createObjectNode().put("type", "generate");
        List<SubmitOutcome> out = jobs.submitAll(List.of(
                new NewJob(owner, JobType.TRAIN, train, 3, null, null, 10),
                new NewJob(owner, JobType.GENERATE, generate, 2, "k", "h1", 4),
                new NewJob(owner, JobType.GENERATE, generate, 2, "k", "h1", 4),
                new NewJob(owner, JobType.GENERATE, generate, 2, "k", "h2", 4)));
        assertEquals(4, out.size());
        Job first = out.get(0).orThrow().job();
        Job keyed = out.get(1).orThrow().job();
        assertTrue(out.get(0).submitted().created());
        assertTrue(out.get(1).submitted().created());
        assertFalse(out.get(2).submitted().created());
        assertEquals(keyed.id(), out.get(2).submitted().job().id());
        assertEquals(keyed.id(), out.get(3).refused().existingJob());
        assertEquals(JobType.TRAIN, first.type());
        assertEquals(List.of(reread(JobStore.delivery(first))), payloads(Topics.TRAIN, first.id()));
        assertEquals(List.of(reread(JobStore.delivery(keyed))), payloads(Topics.GENERATE, keyed.id()));
        assertEquals(0, payloads(Topics.EVENTS, first.id()).size());
        assertEquals(0, payloads(Topics.EVENTS, keyed.id()).size());
        assertEquals(2, keyed.maxAttempts());
        assertEquals(4, keyed.progressTotal());
    }

    private static List<JsonNode> payloads(String topic, UUID job) {
        return PG.db().statement("read outbox", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT payload::text FROM outbox WHERE topic = ? AND record_key = ? ORDER BY id")) {
                ps.setString(1, topic);
                ps.setString(2, job.toString());
                List<JsonNode> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(JsonCodec.read(rs.getString(1)));
                    }
                }
                return out;
            }
        });
    }
}
