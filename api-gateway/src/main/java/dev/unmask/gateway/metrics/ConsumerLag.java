package dev.unmask.gateway.metrics;

import dev.unmask.shared.job.JobType;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code unmask_kafka_consumer_lag{group,topic}}: records of a job topic its workers' share group
 * has not settled yet (the broker's lag of each share-partition, summed; a partition the group has
 * not started counts from its earliest offset). Read with the admin client by {@link #refresh};
 * while Kafka does not answer the rows are absent rather than stale.
 */
final class ConsumerLag implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLag.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Admin admin;
    private final MultiGauge lag;

    ConsumerLag(MeterRegistry registry, Map<String, Object> adminConfig) {
        this.admin = Admin.create(adminConfig);
        this.lag = MultiGauge.builder("unmask.kafka.consumer.lag").baseUnit("records")
                .description("records of a job topic not yet committed by its worker group").register(registry);
    }

    void refresh() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        try {
            for (JobType type : JobType.values()) {
                rows.add(MultiGauge.Row.of(Tags.of("group", type.shareGroup(), "topic", type.topic()),
                        lag(type.shareGroup(), type.topic())));
            }
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.debug("consumer lag not read: {}", e.toString());
            rows.clear();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        lag.register(rows, true);
    }

    private long lag(String group, String topic) throws ExecutionException, InterruptedException, TimeoutException {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
        List<TopicPartition> partitions = description.partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        Map<TopicPartition, SharePartitionOffsetInfo> started = started(group, partitions);
        Map<TopicPartition, ListOffsetsResultInfo> end = offsets(partitions, OffsetSpec.latest());
        Map<TopicPartition, ListOffsetsResultInfo> start = offsets(partitions, OffsetSpec.earliest());
        long total = 0;
        for (TopicPartition tp : partitions) {
            SharePartitionOffsetInfo info = started.get(tp);
            if (info != null && info.lag().isPresent()) {
                total += info.lag().get();
            } else {
                long from = info != null ? info.startOffset() : start.get(tp).offset();
                total += Math.max(0, end.get(tp).offset() - from);
            }
        }
        return total;
    }

    /** Where the group stands on each partition; none while no worker has joined it yet. */
    private Map<TopicPartition, SharePartitionOffsetInfo> started(String group, List<TopicPartition> partitions)
            throws ExecutionException, InterruptedException, TimeoutException {
        try {
            Map<TopicPartition, SharePartitionOffsetInfo> info = admin.listShareGroupOffsets(
                            Map.of(group, new ListShareGroupOffsetsSpec().topicPartitions(partitions)))
                    .partitionsToOffsetInfo(group).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return info == null ? Map.of() : info;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return Map.of();
            }
            throw e;
        }
    }

    private Map<TopicPartition, ListOffsetsResultInfo> offsets(List<TopicPartition> partitions, OffsetSpec spec)
            throws ExecutionException, InterruptedException, TimeoutException {
        Map<TopicPartition, OffsetSpec> request = partitions.stream()
                .collect(Collectors.toMap(Function.identity(), p -> spec));
        return admin.listOffsets(request).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
