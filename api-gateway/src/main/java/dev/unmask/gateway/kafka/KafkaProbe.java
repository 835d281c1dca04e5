package dev.unmask.gateway.kafka;

import dev.unmask.queue.KafkaClients;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** Readiness: whether Kafka answers a describeCluster call in time. Blocking. */
public final class KafkaProbe implements AutoCloseable {
    private final Admin admin;

    public KafkaProbe(String bootstrap) {
        this.admin = Admin.create(KafkaClients.admin(bootstrap));
    }

    public boolean answers(Duration within) {
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) within.toMillis()))
                    .clusterId().get(within.toMillis() + 500, TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
