package dev.unmask.queue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.embedded.EmbeddedPostgres;
import dev.unmask.shared.job.JobType;
import dev.unmask.shared.json.JsonCodec;
import dev.unmask.shared.store.ApiKeyStore;
import dev.unmask.shared.store.Database;
import dev.unmask.shared.store.EventStore;
import dev.unmask.shared.store.JobEvent;
import dev.unmask.shared.store.JobStore;
import io.vertx.core.Vertx;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The pruner as the gateway deploys it, on a real PostgreSQL: its periodic pass deletes old events. */
class EventPrunerTest {
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
    void itsPeriodicPassDeletesTheProgressOfJobsFinishedBeforeTheRetention() throws Exception {
        JobStore jobs = new JobStore(db);
        EventStore events = new EventStore(db);
        UUID owner = new ApiKeyStore(db).upsert("pruner", ApiKeyStore.newSecret());
        ObjectNode spec = JsonCodec.MAPPER.createObjectNode();
        UUID id = jobs.submit(owner, JobType.TRAIN, spec, 3, null, null, 1).job().id();
        jobs.claim(id, "w1", Duration.ofMinutes(1));
        jobs.report(id, "w1", Duration.ofMinutes(1), 1, 1, "progress", spec);
        jobs.succeed(id, "w1", spec);
        db.tx("backdate", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE jobs SET finished_at = now() - interval '2 hours' WHERE id = ?")) {
                ps.setObject(1, id);
                return ps.executeUpdate();
            }
        });
        Vertx vertx = Vertx.vertx();
        try {
            vertx.deployVerticle(new EventPruner(events, Duration.ofHours(1), Duration.ofMillis(50)))
                    .toCompletionStage().toCompletableFuture().get();
            await().atMost(Duration.ofSeconds(30)).until(() -> events.after(id, 0, 100).stream()
                    .noneMatch(e -> e.kind().equals("progress")));
            assertEquals(List.of("status", "status", "status"),
                    events.after(id, 0, 100).stream().map(JobEvent::kind).toList());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    @Test
    void aZeroRetentionIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new EventPruner(new EventStore(db), Duration.ZERO, Duration.ofSeconds(1)));
    }
}
