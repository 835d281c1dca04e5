package dev.unmask.queue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unmask.embedded.EmbeddedPostgres;
import dev.unmask.shared.json.JsonCodec;
import dev.unmask.shared.store.Database;
import dev.unmask.shared.store.Outbox;
import dev.unmask.shared.store.OutboxStore;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * An idle relay publishes a new row when woken, long before its poll would find it; unwoken it
 * waits for the poll. A Kafka {@link MockProducer} stands in for the broker; the outbox is a real
 * PostgreSQL.
 */
class OutboxRelayWakeTest {
    @Test
    void anIdleRelayPublishesAtOnceWhenWokenAndOnlyAtItsPollOtherwise() throws Exception {
        MockProducer<String, String> producer = new MockProducer<>(true, null, new StringSerializer(),
                new StringSerializer());
        Vertx vertx = Vertx.vertx();
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(null, 0);
                Database db = Database.open(pg.jdbcUrl(), pg.username(), pg.password(), 2, "relay")) {
            OutboxRelay relay = new OutboxRelay(new OutboxStore(db), () -> producer, 200, Duration.ofSeconds(30));
            vertx.deployVerticle(relay).toCompletionStage().toCompletableFuture().get();
            Thread.sleep(500); // the first pass found nothing: the relay now waits up to 30 s

            add(db, "a"); // committed, but nobody says so: found by the 30 s poll, not now
            Thread.sleep(2_000);
            assertEquals(0, producer.history().size(), "an unwoken relay waits for its poll");

            add(db, "b");
            relay.wake(); // what the gateway does after accepting a job
            await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 2);
            assertEquals("a", producer.history().get(0).key());
            assertEquals("b", producer.history().get(1).key());
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertTrue(producer.closed(), "closing the Vert.x stops the relay and closes its producer");
        } finally {
            vertx.close();
        }
    }

    @Test
    void aBusyRelayIsWokenTooButNotBeforeItsGap() throws Exception {
        MockProducer<String, String> producer = new MockProducer<>(true, null, new StringSerializer(),
                new StringSerializer());
        Vertx vertx = Vertx.vertx();
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(null, 0);
                Database db = Database.open(pg.jdbcUrl(), pg.username(), pg.password(), 2, "relay")) {
            // idle 30 s: a busy pass's gap is 6 s
            OutboxRelay relay = new OutboxRelay(new OutboxStore(db), () -> producer, 200, Duration.ofSeconds(30));
            vertx.deployVerticle(relay).toCompletionStage().toCompletableFuture().get();
            Thread.sleep(500);
            add(db, "a");
            relay.wake();
            await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 1);
            long published = System.nanoTime(); // that pass found a row: the relay is busy now

            add(db, "b"); // not woken: waits (the 30 s of an unwoken busy relay)
            Thread.sleep(8_000);
            assertEquals(1, producer.history().size(), "an unwoken busy relay waits");
            add(db, "c");
            relay.wake(); // woken after its gap: publishes at once, not at its 30 s
            await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 3);
            assertTrue((System.nanoTime() - published) / 1e9 < 20, "published by the wake, not by the poll");
            assertEquals("c", producer.history().get(2).key());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static void add(Database db, String key) {
        db.tx("add", c -> {
            Outbox.add(c, "unmask.test", key, JsonCodec.MAPPER.createObjectNode(), Duration.ZERO);
            return null;
        });
    }
}
