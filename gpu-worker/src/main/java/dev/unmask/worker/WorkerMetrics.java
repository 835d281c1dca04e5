package dev.unmask.worker;

import dev.unmask.shared.job.JobType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/**
 * A worker's own meters, tagged with its id: jobs running now, attempts by how they ended, tokens
 * generated. Throughput per worker and queue-wide numbers come from the gateway's {@code /metrics}
 * (derived from the job events); a worker process adds its JVM and native memory ({@link WorkerMain}).
 */
final class WorkerMetrics {
    /** How an attempt ended, as the {@code outcome} tag. */
    enum Outcome {
        SUCCEEDED, CANCELLED, HANDED_BACK, LEASE_LOST, RETRIED, FAILED;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final MeterRegistry registry;
    private final String workerId;
    private final Counter generatedTokens;

    WorkerMetrics(MeterRegistry registry, String workerId, Supplier<Number> runningJobs) {
        this.registry = registry;
        this.workerId = workerId;
        Gauge.builder("unmask.worker.jobs.running", runningJobs).tag("worker", workerId)
                .description("jobs this worker is running now").register(registry);
        this.generatedTokens = Counter.builder("unmask.worker.generated.tokens").tag("worker", workerId)
                .description("tokens written by this worker's generate jobs").register(registry);
    }

    void attempt(JobType type, Outcome outcome) {
        Counter.builder("unmask.worker.attempts").tag("worker", workerId).tag("type", type.wire())
                .tag("outcome", outcome.tag()).description("job attempts this worker ended, by outcome")
                .register(registry).increment();
    }

    void generatedTokens(long tokens) {
        generatedTokens.increment(tokens);
    }
}
