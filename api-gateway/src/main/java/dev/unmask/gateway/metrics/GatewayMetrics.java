package dev.unmask.gateway.metrics;

import dev.unmask.queue.KafkaClients;
import dev.unmask.shared.metrics.ProcessMetrics;
import dev.unmask.shared.store.JobStore;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's {@code /metrics}: the process (JVM, RSS), the job meters of the event stream, and
 * the gauges read every {@code interval} on two metrics threads (PostgreSQL and Kafka apart, so
 * a Kafka outage does not freeze the queue depth).
 */
public final class GatewayMetrics implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayMetrics.class);

    private final ProcessMetrics process;
    private final JobMetrics jobs;
    private final QueueGauges queue;
    private final ConsumerLag lag;
    private final ScheduledExecutorService refresher;

    private GatewayMetrics(ProcessMetrics process, JobMetrics jobs, QueueGauges queue, ConsumerLag lag,
            ScheduledExecutorService refresher) {
        this.process = process;
        this.jobs = jobs;
        this.queue = queue;
        this.lag = lag;
        this.refresher = refresher;
    }

    public static GatewayMetrics start(JobStore jobStore, String kafkaBootstrap, Duration lease, Duration interval) {
        ProcessMetrics process = new ProcessMetrics();
        JobMetrics jobs = new JobMetrics(process.registry());
        QueueGauges queue = new QueueGauges(process.registry(), jobStore, jobs, lease);
        ConsumerLag lag = new ConsumerLag(process.registry(), KafkaClients.metricsAdmin(kafkaBootstrap));
        AtomicInteger n = new AtomicInteger();
        ScheduledExecutorService refresher = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "unmask-metrics-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        long ms = interval.toMillis();
        refresher.scheduleWithFixedDelay(() -> safely("queue gauges", queue::refresh), 0, ms, TimeUnit.MILLISECONDS);
        refresher.scheduleWithFixedDelay(() -> safely("consumer lag", lag::refresh), 0, ms, TimeUnit.MILLISECONDS);
        return new GatewayMetrics(process, jobs, queue, lag, refresher);
    }

    private static void safely(String what, Runnable refresh) {
        try {
            refresh.run();
        } catch (RuntimeException e) { // the next pass tries again; a thrown exception would end the schedule
            LOG.warn("refreshing the {} failed: {}", what, e.getMessage());
        }
    }

    public PrometheusMeterRegistry registry() {
        return process.registry();
    }

    /** Where the fan-out hands every job event. */
    public JobMetrics jobs() {
        return jobs;
    }

    public String scrape() {
        return process.scrape();
    }

    @Override
    public void close() {
        refresher.shutdownNow();
        try {
            refresher.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lag.close();
        process.close();
    }
}
