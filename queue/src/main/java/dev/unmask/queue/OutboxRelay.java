package dev.unmask.queue;

import dev.unmask.shared.store.OutboxRecord;
import dev.unmask.shared.store.OutboxStore;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the outbox to Kafka on its own thread: takes due rows, sends them keyed by their
 * record key, waits for every acknowledgement, deletes them, all in one transaction. A full batch
 * loops at once. After a short or an empty one it waits {@code idle} or until {@link #wake} says a
 * job was just submitted, so a lone job is published at once; after a short one (the relay is busy:
 * a stream of submits, workers' progress events) passes still start at least {@code idle / 5}
 * apart, so a stream is published in batches and a pass's fixed cost is spent at most that often. When
 * Kafka (or the database) fails the rows stay; the producer is rebuilt and the pass retried with a
 * growing back-off: nothing is lost, and a record may at worst be published twice (consumers are
 * idempotent by job id). A verticle: deploying it starts the relay, undeploying it (or closing its
 * Vert.x) stops it after the pass in progress and closes the producer.
 */
public final class OutboxRelay extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final OutboxStore outbox;
    private final Semaphore wakeups = new Semaphore(0);
    private final Supplier<Producer<String, String>> producers;
    private final int batch;
    private final Duration idle;
    private final Duration busyGap;
    private final ScheduledThreadPoolExecutor thread = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "unmask-outbox-relay");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private Producer<String, String> producer;
    private int consecutiveFailures;

    public OutboxRelay(OutboxStore outbox, Supplier<Producer<String, String>> producers, int batch, Duration idle) {
        this.outbox = outbox;
        this.producers = producers;
        this.batch = batch;
        this.idle = idle;
        this.busyGap = idle.dividedBy(5);
        thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // close() does not wait out a delay
    }

    public static OutboxRelay forKafka(OutboxStore outbox, String bootstrap, int batch, Duration idle) {
        Map<String, Object> config = KafkaClients.producer(bootstrap);
        return new OutboxRelay(outbox, () -> new KafkaProducer<>(config), batch, idle);
    }

    @Override
    public io.vertx.core.Future<?> start() {
        thread.execute(this::pass);
        return io.vertx.core.Future.succeededFuture();
    }

    /**
     * Starts the next pass now instead of after the idle wait: a transaction has just committed
     * outbox rows (a submitted job). Cheap, and several calls during one pass fold into one.
     */
    public void wake() {
        if (wakeups.availablePermits() == 0) {
            wakeups.release();
        }
    }

    /** Records published since start. */
    public long published() {
        return published.get();
    }

    /** Passes that failed (Kafka or the database unavailable). */
    public long failures() {
        return failures.get();
    }

    private void pass() {
        long delayMs;
        try {
            long started = System.nanoTime();
            int n = outbox.relay(batch, this::publish);
            published.addAndGet(n);
            consecutiveFailures = 0;
            if (n >= batch) {
                delayMs = 0;
            } else if (n > 0) {
                // busy: rows gather until a submit wakes the relay (or for idle), but passes stay at
                // least busyGap apart, so a stream of submits is still published in batches
                long gapLeftMs = busyGap.toMillis() - (System.nanoTime() - started) / 1_000_000;
                if (gapLeftMs > 0) {
                    Thread.sleep(gapLeftMs);
                }
                wakeups.tryAcquire(Math.max(0, idle.toMillis() - busyGap.toMillis()), TimeUnit.MILLISECONDS);
                wakeups.drainPermits();
                delayMs = 0;
            } else {
                wakeups.tryAcquire(idle.toMillis(), TimeUnit.MILLISECONDS); // idle: the next submit wakes it
                wakeups.drainPermits();
                delayMs = 0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // shutting down
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            consecutiveFailures++;
            delayMs = Math.min(MAX_BACKOFF.toMillis(), 100L << Math.min(consecutiveFailures, 6));
            LOG.warn("outbox relay pass failed ({} in a row), retrying in {} ms: {}", consecutiveFailures, delayMs,
                    e.getMessage());
            discardProducer();
        }
        if (!thread.isShutdown()) {
            thread.schedule(this::pass, delayMs, TimeUnit.MILLISECONDS);
        }
    }

    private void publish(List<OutboxRecord> records) throws Exception {
        if (producer == null) {
            producer = producers.get();
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        for (OutboxRecord r : records) {
            Future<RecordMetadata> ack = producer.send(new ProducerRecord<>(r.topic(), r.key(), r.payload()));
            if (ack.isDone()) {
                ack.get(); // failed at once (no metadata within max.block.ms): do not wait that long per record
            }
            acks.add(ack);
        }
        producer.flush();
        for (Future<RecordMetadata> ack : acks) {
            ack.get();
        }
    }

    private void discardProducer() {
        if (producer != null) {
            try {
                producer.close(Duration.ZERO);
            } catch (RuntimeException e) {
                LOG.debug("closing a failed producer", e);
            }
            producer = null;
        }
    }

    /** Stops after the pass in progress, and closes the producer (on a worker thread). */
    @Override
    public io.vertx.core.Future<?> stop() {
        return vertx.executeBlocking(() -> {
            shutdown();
            return null;
        });
    }

    private void shutdown() {
        thread.shutdown();
        wake(); // a pass waiting for work returns now
        try {
            if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("outbox relay did not stop within 30 s");
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
