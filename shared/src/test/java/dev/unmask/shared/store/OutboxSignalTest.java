package dev.unmask.shared.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unmask.shared.json.JsonCodec;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** LISTEN/NOTIFY between an outbox write and the relay's wait, against a real PostgreSQL. */
class OutboxSignalTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static void add(Duration delay) {
        PG.db().tx("add", c -> {
            Outbox.add(c, "unmask.test", "k", JsonCodec.MAPPER.createObjectNode(), delay);
            return null;
        });
    }

    @Test
    void aCommittedDueRowWakesTheWaiterLongBeforeTheTimeout() throws Exception {
        try (OutboxSignal signal = new OutboxSignal(PG.db())) {
            assertFalse(signal.await(Duration.ofMillis(50)), "nothing added: waits the whole time");
            Thread writer = new Thread(() -> {
                sleep(200);
                add(Duration.ZERO);
            });
            long start = System.nanoTime();
            writer.start();
            assertTrue(signal.await(Duration.ofSeconds(30)), "woken by the commit");
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds < 20, "returned after " + seconds + " s");
            writer.join();
        }
    }

    @Test
    void aNotificationWhileNobodyWaitsIsKeptForTheNextWait() throws Exception {
        try (OutboxSignal signal = new OutboxSignal(PG.db())) {
            signal.await(Duration.ofMillis(1)); // listening from here on
            add(Duration.ZERO);
            assertTrue(signal.await(Duration.ofSeconds(30)));
            assertFalse(signal.await(Duration.ofMillis(100)), "consumed");
        }
    }

    @Test
    void rolledBackAndDelayedRowsWakeNobody() throws Exception {
        try (OutboxSignal signal = new OutboxSignal(PG.db())) {
            signal.await(Duration.ofMillis(1));
            add(Duration.ofMinutes(5)); // a retry's backoff: due later, found by the relay's poll
            try {
                PG.db().tx("rolled back", c -> {
                    Outbox.add(c, "unmask.test", "k", JsonCodec.MAPPER.createObjectNode(), Duration.ZERO);
                    throw new IllegalStateException("roll back");
                });
            } catch (IllegalStateException expected) {
                // the NOTIFY goes with the transaction
            }
            assertFalse(signal.await(Duration.ofMillis(300)));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
