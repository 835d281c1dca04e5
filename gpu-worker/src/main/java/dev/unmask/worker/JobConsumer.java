package dev.unmask.worker;

import dev.unmask.shared.json.JsonCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job type's consumer loop, on its own thread, in a Kafka share group (KIP-932): whichever
 * worker asks gets the next record, no member owns a partition, and a member that dies holds up
 * nobody else. The loop asks only when it has room (no job of its type running), and then for at
 * most {@code room} records ({@code share.acquire.mode=record_limit}), so a busy worker leaves the
 * queue to idle ones. Each record is settled one by one: its job is claimed in PostgreSQL (the
 * conditional UPDATE that makes a duplicate harmless), then the record is ACCEPTed (claimed, or
 * not claimable any more: running elsewhere, finished, cancelled), RELEASEd (the claim could not
 * be made: the database is down, the worker is stopping) or REJECTed (malformed). PostgreSQL's
 * lease, not Kafka, is the truth for a running job.
 *
 * <p>The loop never gives up while the worker lives: any error of poll, claim or acknowledge is
 * logged and retried after a bounded, jittered backoff; a consumer that failed is closed and built
 * anew.
 */
final class JobConsumer implements Runnable {
    /** Claims the records' jobs: those this worker now runs, and those whose claim could not be decided. */
    interface Claimer {
        Claims claim(List<UUID> jobIds);
    }

    /**
     * What a claim decided: {@code claimed} run here; {@code undecided} could not be claimed or
     * refused (the database did not answer), so their records are released; every other job is
     * not claimable (running elsewhere, finished, cancelled) and its record is spent.
     */
    record Claims(List<RunningJob> claimed, java.util.Set<UUID> undecided) {}

    /** Runs claimed jobs to an end (terminal, handed back, or lost). */
    interface Executor {
        void execute(List<RunningJob> jobs);
    }

    private static final Logger LOG = LoggerFactory.getLogger(JobConsumer.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration HEALTHY_POLL = Duration.ofSeconds(30);

    private final String topic;
    private final int room;
    private final Supplier<ShareConsumer<String, String>> factory;
    private final Claimer claimer;
    private final Executor executor;
    private final ExecutorService jobThread;
    private final Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5));
    private volatile boolean running = true;
    private volatile long lastPoll = System.nanoTime();
    private ShareConsumer<String, String> consumer;
    private volatile Future<?> current;

    JobConsumer(String topic, int room, Supplier<ShareConsumer<String, String>> factory, Claimer claimer,
            Executor executor, String clientId) {
        this.topic = topic;
        this.room = room;
        this.factory = factory;
        this.claimer = claimer;
        this.executor = executor;
        this.jobThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, clientId + "-job");
            t.setDaemon(true);
            return t;
        });
    }

    /** A share consumer of {@code group} that acknowledges explicitly and acquires at most {@code room} records. */
    static Supplier<ShareConsumer<String, String>> kafka(String bootstrap, String group, String clientId, int room) {
        return () -> {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
            props.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
            props.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit");
            props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(room));
            // A worker busy with a long training run does not poll; it stays a member meanwhile.
            props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Integer.toString(Integer.MAX_VALUE));
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            ShareGroups.startAtEarliest(bootstrap, group);
            return new KafkaShareConsumer<>(props);
        };
    }

    @Override
    public void run() {
        try {
            while (running) {
                if (awaitRoom()) {
                    step();
                }
            }
            awaitJobs();
        } finally {
            closeConsumer();
            jobThread.shutdownNow();
        }
    }

    /** One poll and the settling of what it brought; any failure is logged and backed off. */
    private void step() {
        try {
            if (consumer == null) {
                consumer = factory.get();
                consumer.subscribe(List.of(topic));
            }
            ConsumerRecords<String, String> records = consumer.poll(POLL);
            lastPoll = System.nanoTime();
            if (!records.isEmpty()) {
                settle(records);
            }
            backoff.reset();
        } catch (RuntimeException e) {
            Duration delay = backoff.next();
            LOG.warn("consumer of {} failed ({}{}); a new one in {} ms", topic, e.toString(),
                    e.getCause() == null ? "" : ", caused by " + e.getCause(), delay.toMillis());
            closeConsumer();
            sleep(delay);
        }
    }

    private void settle(ConsumerRecords<String, String> records) {
        Map<UUID, List<ConsumerRecord<String, String>>> byJob = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            UUID id = jobId(record);
            if (id == null) {
                consumer.acknowledge(record, AcknowledgeType.REJECT);
            } else {
                byJob.computeIfAbsent(id, k -> new ArrayList<>()).add(record);
            }
        }
        List<RunningJob> claimed = List.of();
        java.util.Set<UUID> released = byJob.keySet();
        if (running && !byJob.isEmpty()) {
            try {
                Claims claims = claimer.claim(new ArrayList<>(byJob.keySet()));
                claimed = claims.claimed();
                released = claims.undecided();
            } catch (RuntimeException e) {
                LOG.warn("claiming {} job(s) of {} failed ({})", byJob.size(), topic, e.toString());
            }
            if (!released.isEmpty()) {
                LOG.warn("{} record(s) of {} released: their claims could not be decided", released.size(), topic);
            }
        }
        if (!claimed.isEmpty()) {
            List<RunningJob> jobs = claimed;
            current = jobThread.submit(() -> executor.execute(jobs)); // first: a claimed job runs whatever Kafka says
        }
        try {
            for (Map.Entry<UUID, List<ConsumerRecord<String, String>>> e : byJob.entrySet()) {
                AcknowledgeType type = released.contains(e.getKey()) ? AcknowledgeType.RELEASE : AcknowledgeType.ACCEPT;
                for (ConsumerRecord<String, String> record : e.getValue()) {
                    consumer.acknowledge(record, type);
                }
            }
            consumer.commitSync(Duration.ofSeconds(10)).forEach((partition, error) -> error.ifPresent(e ->
                    LOG.warn("acknowledging records of {} failed ({}); they may come again and will be skipped",
                            partition, e.toString())));
        } catch (RuntimeException e) {
            // unacknowledged records come again when their lock expires; a claimed job's claim stands
            LOG.warn("acknowledging {} record(s) of {} failed ({})", records.count(), topic, e.toString());
            closeConsumer();
        }
        if (!released.isEmpty() && running) {
            sleep(backoff.next()); // the database is in trouble: do not spin on the same records
        }
    }

    private UUID jobId(ConsumerRecord<String, String> record) {
        try {
            return UUID.fromString(JsonCodec.read(record.value()).path("job_id").asText());
        } catch (RuntimeException e) {
            LOG.warn("rejecting a malformed record at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            return null;
        }
    }

    /** Waits (a little) while a job of this type runs; true when there is room to take more. */
    private boolean awaitRoom() {
        if (current == null) {
            return true;
        }
        try {
            current.get(POLL.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return false;
        } catch (ExecutionException e) {
            LOG.error("a {} job thread failed", topic, e.getCause());
        }
        current = null;
        return true;
    }

    /** The running jobs end (handed back on shutdown) before the consumer closes. */
    private void awaitJobs() {
        while (current != null && !Thread.currentThread().isInterrupted()) {
            awaitRoom();
        }
    }

    private void closeConsumer() {
        if (consumer != null) {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.debug("closing the consumer of {}: {}", topic, e.toString());
            }
            consumer = null;
        }
    }

    private void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Polled within the last 30 s, or running a job (it polls again when the job ends). */
    boolean healthy() {
        return running && (current != null || System.nanoTime() - lastPoll < HEALTHY_POLL.toNanos());
    }

    /** How many records one poll may bring (the jobs this consumer runs at once). */
    int room() {
        return room;
    }

    /** Stops taking records; the loop ends once the running jobs have ended. */
    void stop() {
        running = false;
    }
}
