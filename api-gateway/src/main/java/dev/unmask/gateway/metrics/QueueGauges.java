package dev.unmask.gateway.metrics;

import dev.unmask.shared.job.JobType;
import dev.unmask.shared.store.JobStore;
import dev.unmask.shared.store.RunningLease;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gauges read from PostgreSQL by {@link #refresh} (on the metrics thread, never the event loop):
 * queued and running jobs per type, and per worker with a running job the age of its last
 * heartbeat (lease end minus {@code UNMASK_LEASE_SECONDS}; every process must share that setting).
 */
final class QueueGauges {
    private final JobStore jobs;
    private final JobMetrics jobMetrics;
    private final Duration lease;
    private final Map<JobType, AtomicLong> queued = new EnumMap<>(JobType.class);
    private final Map<JobType, AtomicLong> running = new EnumMap<>(JobType.class);
    private final MultiGauge heartbeatAge;

    QueueGauges(MeterRegistry registry, JobStore jobs, JobMetrics jobMetrics, Duration lease) {
        this.jobs = jobs;
        this.jobMetrics = jobMetrics;
        this.lease = lease;
        for (JobType type : JobType.values()) {
            queued.put(type, gauge(registry, "unmask.jobs.queued", "jobs waiting for a worker (queue depth)", type));
            running.put(type, gauge(registry, "unmask.jobs.running", "jobs a worker holds now", type));
        }
        heartbeatAge = MultiGauge.builder("unmask.worker.heartbeat.age").baseUnit("seconds")
                .description("seconds since a worker last heartbeated one of its running jobs").register(registry);
    }

    private static AtomicLong gauge(MeterRegistry registry, String name, String description, JobType type) {
        AtomicLong value = new AtomicLong();
        Gauge.builder(name, value, AtomicLong::get).tag("type", type.wire()).description(description)
                .strongReference(true).register(registry);
        return value;
    }

    void refresh() {
        jobs.queuedCounts().forEach((type, count) -> queued.get(type).set(count));
        List<RunningLease> leases = jobs.runningLeases();
        jobMetrics.leases(leases);
        Map<JobType, Long> perType = new EnumMap<>(JobType.class);
        Map<String, Double> ages = new HashMap<>();
        double leaseSeconds = lease.toMillis() / 1000.0;
        for (RunningLease l : leases) {
            perType.merge(l.type(), 1L, Long::sum);
            ages.merge(l.workerId(), Math.max(0, leaseSeconds - l.secondsLeft()), Math::min);
        }
        running.forEach((type, value) -> value.set(perType.getOrDefault(type, 0L)));
        heartbeatAge.register(ages.entrySet().stream()
                .map(e -> MultiGauge.Row.of(Tags.of("worker", e.getKey()), e.getValue())).toList(), true);
    }
}
