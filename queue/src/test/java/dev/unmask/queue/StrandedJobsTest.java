package dev.unmask.queue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.embedded.EmbeddedPostgres;
import dev.unmask.shared.job.JobType;
import dev.unmask.shared.job.Topics;
import dev.unmask.shared.json.JsonCodec;
import dev.unmask.shared.store.ApiKeyStore;
import dev.unmask.shared.store.Database;
import dev.unmask.shared.store.JobStore;
import dev.unmask.shared.store.OutboxRecord;
import dev.unmask.shared.store.OutboxStore;
import io.vertx.core.Vertx;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A job whose Kafka record was lost is published again, on a real PostgreSQL: one whose record is
 * still in the outbox, one recently published, and one that is running are left alone.
 */
class StrandedJobsTest {
    static EmbeddedPostgres postgres;
    static Database db;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.start(null, 0);
        db = Database.open(postgres.jdbcUrl(), postgres.username(), postgres.password(), 2, "test");
    }

    @AfterAll
    static void stop() {
        db.close();
        postgres.close();
    }

    @Test
    void aJobWhoseRecordWasDroppedIsPublishedAgainAndOnlyIt() throws Exception {
        JobStore jobs = new JobStore(db);
        OutboxStore outbox = new OutboxStore(db);
        UUID owner = new ApiKeyStore(db).upsert("stranded", ApiKeyStore.newSecret());
        ObjectNode spec = JsonCodec.MAPPER.createObjectNode();
        UUID dropped = jobs.submit(owner, JobType.GENERATE, spec, 3, null, null, 1).job().id();
        UUID waiting = jobs.submit(owner, JobType.TRAIN, spec, 3, null, null, 1).job().id();
        UUID running = jobs.submit(owner, JobType.TRAIN, spec, 3, null, null, 1).job().id();
        List<OutboxRecord> sent = drain(outbox); // published; the record of `dropped` is then lost on the way
        assertTrue(sent.stream().anyMatch(r -> r.key().equals(dropped.toString())));
        UUID unpublished = jobs.submit(owner, JobType.GENERATE, spec, 3, null, null, 1).job().id(); // still in the outbox
        jobs.claim(running, "w1", Duration.ofMinutes(5));
        backdate(List.of(dropped, running, unpublished), "2 minutes");

        Vertx vertx = Vertx.vertx();
        try {
            StrandedJobs sweeper = new StrandedJobs(jobs, Duration.ofSeconds(60));
            assertEquals(1, sweeper.sweep(), "only the job whose record is gone: the unpublished one still "
                    + "has its outbox row, the waiting one was published a moment ago, the running one runs");
            List<String> keys = drain(outbox).stream().filter(r -> !r.topic().equals(Topics.EVENTS))
                    .map(OutboxRecord::key).toList();
            assertEquals(java.util.Set.of(dropped.toString(), unpublished.toString()), java.util.Set.copyOf(keys),
                    "the dropped job has a new record, the unpublished one its first");
            assertEquals(0, sweeper.sweep(), "published again: not stranded any more");
            assertTrue(publishedAt(dropped) != null, "a record of a job created minutes ago is stamped");
            assertEquals(null, publishedAt(waiting), "a record published as its job was created is not: "
                    + "created_at stands for it");

            backdate(List.of(dropped), "2 minutes");
            vertx.deployVerticle(new StrandedJobs(jobs, Duration.ofSeconds(4))).toCompletionStage()
                    .toCompletableFuture().get();
            await().atMost(Duration.ofSeconds(20)).until(() -> outbox.pending() >= 1);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    /** Publishes every due outbox row, as the relay does, and returns them. */
    private static List<OutboxRecord> drain(OutboxStore outbox) {
        List<OutboxRecord> sent = new ArrayList<>();
        while (outbox.relay(100, sent::addAll) > 0) {
            // until the outbox is empty
        }
        return sent;
    }

    private static java.sql.Timestamp publishedAt(UUID id) {
        return db.tx("published_at", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT published_at FROM jobs WHERE id = ?")) {
                ps.setObject(1, id);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getTimestamp(1);
                }
            }
        });
    }

    private static void backdate(List<UUID> ids, String by) {
        db.tx("backdate", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET created_at = created_at - ?::interval, "
                    + "published_at = published_at - ?::interval WHERE id = ANY (?)")) {
                ps.setString(1, by);
                ps.setString(2, by);
                ps.setArray(3, c.createArrayOf("uuid", ids.toArray()));
                return ps.executeUpdate();
            }
        });
    }
}
