package dev.unmask.gateway.kafka;

import dev.unmask.queue.KafkaClients;
import dev.unmask.shared.job.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the job topics that do not exist yet: train and generate 6 partitions, events 3, dlq 1. */
public final class TopicSetup {
    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);
    public static final Map<String, Integer> PARTITIONS = Map.of(Topics.TRAIN, 6, Topics.GENERATE, 6, Topics.EVENTS, 3,
            Topics.DLQ, 1);

    private TopicSetup() {}

    /** @return the topics it created; throws when Kafka does not answer within {@code timeout} */
    public static List<String> ensure(String bootstrap, short replication, Duration timeout)
            throws ExecutionException, TimeoutException, InterruptedException {
        try (Admin admin = Admin.create(KafkaClients.admin(bootstrap))) {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<NewTopic> missing = PARTITIONS.entrySet().stream()
                    .filter(e -> !existing.contains(e.getKey()))
                    .map(e -> new NewTopic(e.getKey(), e.getValue(), replication))
                    .toList();
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                        throw e;
                    }
                }
                LOG.info("created topics {}", missing.stream().map(NewTopic::name).toList());
            }
            return missing.stream().map(NewTopic::name).toList();
        }
    }
}
