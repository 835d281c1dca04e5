package dev.unmask.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unmask.embedded.EmbeddedKafka;
import dev.unmask.queue.KafkaClients;
import dev.unmask.shared.job.JobType;
import dev.unmask.shared.job.Topics;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * On the job topics as they are created ({@link Topics#PARTITIONS}), an idle worker's consumer gets
 * every job while another member of its share group is busy (a member, not asking). A share group
 * gives each partition to only some members, so with several partitions records on a busy member's
 * partitions would wait for it (with 6 partitions the idle member got 14 of 24).
 */
@Timeout(120)
class ShareGroupDeliveryTest {
    private static final int RECORDS = 24;
    static EmbeddedKafka kafka;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(null, 0);
        kafka.createTopics(Topics.PARTITIONS);
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @ParameterizedTest
    @EnumSource(JobType.class)
    void anIdleMemberGetsEveryJobWhileAnotherIsBusy(JobType type) throws Exception {
        String bootstrap = kafka.bootstrapServers();
        ShareConsumer<String, String> busy = JobConsumer.kafka(bootstrap, type.shareGroup(), "busy", 1).get();
        ShareConsumer<String, String> idle = JobConsumer.kafka(bootstrap, type.shareGroup(), "idle", 1).get();
        Set<String> received = new HashSet<>();
        try {
            busy.subscribe(List.of(type.topic()));
            idle.subscribe(List.of(type.topic()));
            long joined = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            while (System.nanoTime() < joined) { // both join and are assigned; then the busy one stops asking
                busy.poll(Duration.ofMillis(100));
                idle.poll(Duration.ofMillis(100));
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(KafkaClients.producer(bootstrap),
                    new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < RECORDS; i++) { // keys spread over every partition there is
                    producer.send(new ProducerRecord<>(type.topic(), "job-" + i, "{}"));
                }
                producer.flush();
            }
            long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (received.size() < RECORDS && System.nanoTime() < until) {
                for (ConsumerRecord<String, String> r : idle.poll(Duration.ofMillis(200))) {
                    received.add(r.key());
                    idle.acknowledge(r, AcknowledgeType.ACCEPT);
                }
                idle.commitSync(Duration.ofSeconds(5));
            }
        } finally {
            busy.close(Duration.ofSeconds(5));
            idle.close(Duration.ofSeconds(5));
        }
        assertEquals(RECORDS, received.size(), type.topic() + " with " + Topics.PARTITIONS.get(type.topic())
                + " partition(s): the idle member got " + received.size() + " of " + RECORDS);
    }
}
