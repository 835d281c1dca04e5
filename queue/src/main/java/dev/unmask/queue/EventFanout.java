package dev.unmask.queue;

import dev.unmask.shared.job.Topics;
import dev.unmask.shared.json.JsonCodec;
import dev.unmask.shared.store.EventStore;
import dev.unmask.shared.store.JobEvent;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@link Topics#EVENTS} on its own thread and hands each event to an {@link EventSink}.
 * Every gateway reads every partition (assigned, no consumer group, nothing committed), from the
 * end as it was at start: SSE streams replay older events from the database. A verticle:
 * deploying it starts the consumer, undeploying it (or closing its Vert.x) stops it.
 */
public final class EventFanout extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(EventFanout.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final Map<String, Object> config;
    private final EventSink hub;
    private final java.util.function.Consumer<JobEvent> tap;
    private final Thread thread;
    private final CompletableFuture<Void> positioned = new CompletableFuture<>();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile Consumer<String, String> consumer;

    public EventFanout(String bootstrap, EventSink hub) {
        this(bootstrap, hub, event -> { });
    }

    /** Also hands every event to {@code tap} (the job metrics), on the fan-out thread. */
    public EventFanout(String bootstrap, EventSink hub, java.util.function.Consumer<JobEvent> tap) {
        this.config = KafkaClients.eventConsumer(bootstrap);
        this.hub = hub;
        this.tap = tap;
        this.thread = new Thread(this::run, "unmask-event-fanout");
        this.thread.setDaemon(true);
    }

    @Override
    public Future<?> start() {
        thread.start();
        return Future.succeededFuture();
    }

    /** Completes once the consumer holds its start positions: later events will be seen. */
    public CompletableFuture<Void> positioned() {
        return positioned;
    }

    private void run() {
        while (stopping.getCount() > 0) {
            try (Consumer<String, String> c = new KafkaConsumer<>(config)) {
                consumer = c;
                if (stopping.getCount() == 0) {
                    return;
                }
                if (assign(c)) {
                    positioned.complete(null);
                    hub.resyncAll(); // events published while no consumer was positioned reach no stream live
                    poll(c);
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("event consumer failed, restarting: {}", e.getMessage());
            } finally {
                consumer = null;
            }
            awaitStop(RETRY);
        }
    }

    private boolean assign(Consumer<String, String> c) {
        List<PartitionInfo> partitions = c.partitionsFor(Topics.EVENTS, Duration.ofSeconds(5));
        if (partitions == null || partitions.isEmpty()) {
            LOG.warn("topic {} has no partitions yet; retrying", Topics.EVENTS);
            return false;
        }
        List<TopicPartition> assigned = partitions.stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        c.assign(assigned);
        c.seekToEnd(assigned);
        assigned.forEach(c::position); // resolve the end offsets now, not at the first poll
        return true;
    }

    private void poll(Consumer<String, String> c) {
        while (stopping.getCount() > 0) {
            for (ConsumerRecord<String, String> record : c.poll(POLL)) {
                JobEvent event;
                try {
                    event = EventStore.fromJson(JsonCodec.read(record.value()));
                } catch (RuntimeException e) {
                    LOG.warn("skipping an unreadable event at {}-{}@{}", record.topic(), record.partition(),
                            record.offset(), e);
                    continue;
                }
                hub.publish(event);
                try {
                    tap.accept(event);
                } catch (RuntimeException e) {
                    LOG.warn("event {} of job {} not counted: {}", event.id(), event.jobId(), e.toString());
                }
            }
        }
    }

    private void awaitStop(Duration timeout) {
        try {
            stopping.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping.countDown();
        }
    }

    @Override
    public Future<?> stop() {
        return vertx.executeBlocking(() -> {
            shutdown();
            return null;
        });
    }

    private void shutdown() {
        stopping.countDown();
        Consumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
