package dev.unmask.worker;

import dev.unmask.shared.json.JsonCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One topic's consumer loop, on its own thread. Records are claimed through the database; the
 * claimed jobs run on a separate thread while this loop keeps polling with every partition paused
 * (so a long training run never exceeds {@code max.poll.interval.ms}). Offsets are committed by
 * hand once the jobs of a poll are terminal or handed back, or at once for records whose job was
 * not claimable (a duplicate, a redelivery, a cancelled job).
 */
final class JobConsumer implements Runnable {
    /** Claims the records' jobs and returns those this worker now runs. */
    interface Claimer {
        List<RunningJob> claim(List<UUID> jobIds);
    }

    /** Runs claimed jobs to an end (terminal, handed back, or lost). */
    interface Executor {
        void execute(List<RunningJob> jobs);
    }

    private static final Logger LOG = LoggerFactory.getLogger(JobConsumer.class);

    private final String topic;
    private final KafkaConsumer<String, String> consumer;
    private final Claimer claimer;
    private final Executor executor;
    private final ExecutorService jobThread;
    private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
    private volatile boolean running = true;
    private Future<?> current;

    JobConsumer(String bootstrap, String groupId, String clientId, String topic, int maxRecords, Claimer claimer,
            Executor executor) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxRecords));
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        this.topic = topic;
        this.consumer = new KafkaConsumer<>(props);
        this.claimer = claimer;
        this.executor = executor;
        this.jobThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, clientId + "-job");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    commitPending(partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    if (busy()) {
                        consumer.pause(partitions);
                    }
                }
            });
            while (running || busy()) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                if (!records.isEmpty()) {
                    handle(records);
                }
                if (current != null && current.isDone()) {
                    current = null;
                    commitPending(new ArrayList<>(pending.keySet()));
                    consumer.resume(consumer.assignment());
                }
            }
            commitPending(new ArrayList<>(pending.keySet()));
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.error("consumer of {} stopped", topic, e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
            jobThread.shutdownNow();
        }
    }

    private void handle(ConsumerRecords<String, String> records) {
        List<UUID> ids = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            pending.merge(new TopicPartition(record.topic(), record.partition()),
                    new OffsetAndMetadata(record.offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
            try {
                ids.add(UUID.fromString(JsonCodec.read(record.value()).path("job_id").asText()));
            } catch (RuntimeException e) {
                LOG.warn("skipping a malformed record at {}-{}@{}: {}", record.topic(), record.partition(),
                        record.offset(), e.getMessage());
            }
        }
        List<RunningJob> claimed = running ? claimer.claim(ids) : List.of();
        if (claimed.isEmpty()) {
            commitPending(new ArrayList<>(pending.keySet()));
            return;
        }
        consumer.pause(consumer.assignment());
        current = jobThread.submit(() -> executor.execute(claimed));
    }

    private boolean busy() {
        return current != null && !current.isDone();
    }

    private void commitPending(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata offset = pending.remove(tp);
            if (offset != null) {
                commit.put(tp, offset);
            }
        }
        if (!commit.isEmpty()) {
            try {
                consumer.commitSync(commit);
            } catch (RuntimeException e) {
                LOG.warn("offset commit failed ({}); the records may be delivered again and will be skipped", e.getMessage());
            }
        }
    }

    /** Stops taking records; the loop ends once the running jobs have ended. */
    void stop() {
        running = false;
    }
}
