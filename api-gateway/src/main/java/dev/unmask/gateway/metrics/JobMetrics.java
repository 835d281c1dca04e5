package dev.unmask.gateway.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.shared.job.JobStatus;
import dev.unmask.shared.job.JobType;
import dev.unmask.shared.store.JobEvent;
import dev.unmask.shared.store.RunningLease;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Job meters. Jobs submitted: the jobs this gateway accepted ({@link #accepted}, from the submit's
 * reply; a job's first event is not streamed, see {@code SubmitStatement}). The rest are derived
 * from the job events every gateway reads ({@code unmask.jobs.events}): jobs finished (terminal
 * transitions), run time, submit-to-start latency, and the tokens per second each worker reported
 * last. Every gateway sees every event, so each one counts the whole cluster for those (from its
 * start; events published while its consumer was not positioned are not counted). Thread-safe:
 * events arrive on the fan-out thread, leases from the refresher, acceptances from event loops.
 */
public final class JobMetrics {
    /** Who runs a job, so that its progress events can be credited to a worker. */
    private record Assignment(String worker, String type) {}

    /** The last tokens-per-second value of a worker and job type. */
    private static final class Throughput {
        private volatile double value;
        private volatile UUID job;
    }

    private static final Duration[] DURATION_BUCKETS = seconds(1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200,
            14_400, 28_800, 86_400);
    private static final Duration[] LATENCY_BUCKETS = seconds(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
            60, 300, 900, 3600);

    private final MeterRegistry registry;
    private final Map<UUID, Assignment> running = new ConcurrentHashMap<>();
    private final Map<Assignment, Throughput> throughput = new ConcurrentHashMap<>();
    private final Map<JobType, Counter> submitted = new EnumMap<>(JobType.class);

    public JobMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (JobType type : JobType.values()) { // present at 0 from the start
            submitted.put(type, Counter.builder("unmask.jobs.submitted").tag("type", type.wire())
                    .description("jobs this gateway accepted").register(registry));
            for (JobStatus status : JobStatus.values()) {
                if (status.terminal()) {
                    finished(type.wire(), status);
                }
            }
        }
    }

    /** A job this gateway accepted: created by its submit (an idempotent replay is not counted again). */
    public void accepted(JobType type) {
        submitted.get(type).increment();
    }

    /** Takes one event of the stream. */
    public void record(JobEvent event) {
        switch (event.kind()) {
            case "status" -> status(event.jobId(), event.data());
            case "progress" -> progress(event.jobId(), event.data());
            default -> { }
        }
    }

    private void status(UUID jobId, JsonNode data) {
        Optional<JobStatus> status = JobStatus.fromWire(data.path("status").asText());
        if (status.isEmpty()) {
            return;
        }
        String type = data.path("type").asText("unknown");
        switch (status.get()) {
            case QUEUED -> running.remove(jobId); // back in the queue: a retry, a hand-back, a reaped lease
            case RUNNING -> {
                String worker = data.path("worker").asText(null);
                if (worker != null) {
                    running.put(jobId, new Assignment(worker, type));
                }
                if (data.path("attempts").asInt() == 1) {
                    between(data, "created_at", "started_at").ifPresent(d -> latency(type).record(d));
                }
            }
            case SUCCEEDED, FAILED, CANCELLED -> {
                finished(type, status.get()).increment();
                between(data, "started_at", "finished_at").ifPresent(d -> duration(type, status.get()).record(d));
                ended(jobId);
            }
        }
    }

    private void progress(UUID jobId, JsonNode data) {
        Assignment who = running.get(jobId);
        JsonNode rate = data.get("tokens_per_second");
        if (who == null || rate == null || !rate.isNumber()) {
            return;
        }
        Throughput t = throughput.computeIfAbsent(who, this::newThroughput);
        t.value = rate.asDouble();
        t.job = jobId;
    }

    /** A job ended: its worker's throughput reads 0 unless another of its jobs reported since. */
    private void ended(UUID jobId) {
        Assignment who = running.remove(jobId);
        if (who != null) {
            Throughput t = throughput.get(who);
            if (t != null && jobId.equals(t.job)) {
                t.value = 0;
            }
        }
    }

    /** The running jobs as the database lists them: fills in assignments this gateway has not seen start. */
    public void leases(List<RunningLease> leases) {
        for (RunningLease lease : leases) {
            running.putIfAbsent(lease.jobId(), new Assignment(lease.workerId(), lease.type().wire()));
        }
    }

    private Throughput newThroughput(Assignment who) {
        Throughput t = new Throughput();
        Gauge.builder("unmask.worker.tokens.per.second", t, x -> x.value).tag("worker", who.worker())
                .tag("type", who.type()).strongReference(true)
                .description("tokens per second a worker reported last (train: progress events; generate: per canvas; "
                        + "0 once its job ended)")
                .register(registry);
        return t;
    }

    private Counter finished(String type, JobStatus status) {
        return Counter.builder("unmask.jobs.finished").tag("type", type).tag("status", status.wire())
                .description("jobs that reached a terminal status").register(registry);
    }

    private Timer duration(String type, JobStatus status) {
        return Timer.builder("unmask.job.duration").tag("type", type).tag("status", status.wire())
                .description("a job's run time: finished_at - started_at").serviceLevelObjectives(DURATION_BUCKETS)
                .register(registry);
    }

    private Timer latency(String type) {
        return Timer.builder("unmask.job.start.latency").tag("type", type)
                .description("submit to first start: started_at - created_at").serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
    }

    private static Optional<Duration> between(JsonNode data, String from, String to) {
        try {
            if (!data.hasNonNull(from) || !data.hasNonNull(to)) {
                return Optional.empty();
            }
            Duration d = Duration.between(Instant.parse(data.get(from).asText()), Instant.parse(data.get(to).asText()));
            return d.isNegative() ? Optional.empty() : Optional.of(d);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Duration[] seconds(double... values) {
        Duration[] out = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
        }
        return out;
    }
}
