package dev.unmask.gateway.kafka;

import dev.unmask.queue.KafkaClients;
import dev.unmask.shared.job.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics that do not exist yet, with {@link Topics#PARTITIONS} (train and generate 1,
 * events 3, dlq 1), and warns about a job topic that exists with more than one partition (made by
 * an older version or by hand): on it, a job can wait for a busy worker while others are idle.
 */
public final class TopicSetup {
    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

    private TopicSetup() {}

    private static void warnAboutPartitionedJobTopics(Admin admin, Set<String> existing, Duration timeout)
            throws ExecutionException, TimeoutException, InterruptedException {
        List<String> jobTopics = Topics.JOBS.stream().filter(existing::contains).toList();
        if (jobTopics.isEmpty()) {
            return;
        }
        admin.describeTopics(jobTopics).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .forEach((name, description) -> {
                    if (description.partitions().size() > 1) {
                        LOG.warn("topic {} has {} partitions: a share group gives each partition to only some workers,"
                                + " so a job on a busy worker's partition waits while others are idle; recreate it with"
                                + " one partition when no job is queued (delete it; the gateway creates it again)",
                                name, description.partitions().size());
                    }
                });
    }

    /** @return the topics it created; throws when Kafka does not answer within {@code timeout} */
    public static List<String> ensure(String bootstrap, short replication, Duration timeout)
            throws ExecutionException, TimeoutException, InterruptedException {
        try (Admin admin = Admin.create(KafkaClients.admin(bootstrap))) {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<NewTopic> missing = Topics.PARTITIONS.entrySet().stream()
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
            warnAboutPartitionedJobTopics(admin, existing, timeout);
            return missing.stream().map(NewTopic::name).toList();
        }
    }
}
