package dev.unmask.worker;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.diffusion.hub.HubEnvironment;
import dev.unmask.diffusion.model.Devices;
import dev.unmask.shared.artifact.ArtifactStore;
import dev.unmask.shared.config.Settings;
import dev.unmask.shared.job.JobError;
import dev.unmask.shared.job.JobStatus;
import dev.unmask.shared.job.JobType;
import dev.unmask.shared.log.JobLog;
import dev.unmask.shared.store.CheckpointStore;
import dev.unmask.shared.store.Database;
import dev.unmask.shared.store.DatasetStore;
import dev.unmask.shared.store.JobStore;
import dev.unmask.shared.store.ModelStore;
import dev.unmask.shared.store.StoreException;
import dev.unmask.worker.WorkerMetrics.Outcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker: one consumer per job type it serves (share groups {@code unmask-share-train} and
 * {@code unmask-share-generate}), a heartbeat that keeps the leases of its running jobs, and the
 * rules for how an attempt ends: succeeded, cancelled (a user asked), handed back (shutdown),
 * abandoned (lease lost: another worker may run it), or failed (retried if the error may pass).
 * Everything it logs about a job carries the job's id in the MDC ({@code job_id}).
 */
@SuppressWarnings("try") // JobLog scopes: opened for their effect on the MDC
public final class Worker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

    private final ArtifactStore artifacts;
    private final Settings settings;
    private final JobStore jobs;
    private final TrainJobRunner trainRunner;
    private final GenerateJobRunner generateRunner;
    private final ModelCache modelCache;
    private final WorkerMetrics metrics;
    private final Set<RunningJob> running = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService heartbeat;
    private final List<JobConsumer> consumers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    private Worker(Settings settings, Database db, MeterRegistry registry, HubEnvironment hub) {
        this.settings = settings;
        this.metrics = new WorkerMetrics(registry, settings.workerId(), running::size);
        this.jobs = new JobStore(db);
        Device device = Devices.parse(settings.device());
        this.artifacts = new ArtifactStore(settings.artifactsDir());
        ModelStore models = new ModelStore(db);
        HubModels hubModels = new HubModels(hub);
        this.trainRunner = new TrainJobRunner(new DatasetStore(db), models, new CheckpointStore(db), artifacts, device,
                hubModels);
        this.modelCache = new ModelCache(2, device, DataType.FLOAT32);
        this.generateRunner = new GenerateJobRunner(models, modelCache, metrics, hubModels);
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, settings.workerId() + "-heartbeat");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts consuming the job types of {@code settings.workerTypes()}; its meters are not exported. */
    public static Worker start(Settings settings, Database db) {
        return start(settings, db, new SimpleMeterRegistry());
    }

    /** Starts consuming the job types of {@code settings.workerTypes()}, with its meters in {@code registry}. */
    public static Worker start(Settings settings, Database db, MeterRegistry registry) {
        HubEnvironment hub = HubEnvironment.fromSystem().withCacheDir(Settings.hfCache(System.getenv(), settings.artifactsDir()));
        return start(settings, db, registry, hub);
    }

    /** As {@link #start(Settings, Database, MeterRegistry)}, with Hub ids resolved through {@code hub}. */
    static Worker start(Settings settings, Database db, MeterRegistry registry, HubEnvironment hub) {
        Worker worker = new Worker(settings, db, registry, hub);
        long period = Math.max(500, settings.lease().toMillis() / 3);
        worker.heartbeat.scheduleAtFixedRate(worker::beat, period, period, TimeUnit.MILLISECONDS);
        for (String type : settings.workerTypes()) {
            JobType jobType = JobType.parse(type);
            boolean train = jobType == JobType.TRAIN;
            int room = train ? 1 : settings.generateBatch();
            String clientId = settings.workerId() + "-" + jobType.wire();
            JobConsumer consumer = new JobConsumer(jobType.topic(), room,
                    JobConsumer.kafka(settings.kafkaBootstrap(), jobType.shareGroup(), clientId, room),
                    worker::claim, train ? worker::executeTrain : worker::executeGenerate, clientId);
            worker.consumers.add(consumer);
            Thread thread = new Thread(consumer, settings.workerId() + "-" + jobType.wire());
            worker.threads.add(thread);
            thread.start();
        }
        LOG.info("worker {} consuming {} on {}", settings.workerId(), settings.workerTypes(), settings.device());
        return worker;
    }

    public String id() {
        return settings.workerId();
    }

    private JobConsumer.Claims claim(List<UUID> ids) {
        List<RunningJob> claimed = new ArrayList<>();
        Set<UUID> undecided = new HashSet<>();
        for (UUID id : ids) {
            try (JobLog log = JobLog.of(id)) {
                jobs.claim(id, settings.workerId(), settings.lease()).ifPresent(job -> {
                    RunningJob r = new RunningJob(job, settings.workerId(), jobs, settings.lease());
                    running.add(r);
                    claimed.add(r);
                    LOG.info("job {} ({}) claimed, attempt {}", job.id(), job.type().wire(), job.attempts());
                });
            } catch (RuntimeException e) {
                LOG.warn("claiming job {} failed: {}", id, e.toString());
                undecided.add(id);
            }
        }
        return new JobConsumer.Claims(claimed, undecided);
    }

    private void executeTrain(List<RunningJob> claimed) {
        for (RunningJob job : claimed) {
            try (JobLog log = JobLog.of(job.job().id())) {
                ObjectNode result = trainRunner.run(job);
                finished(job, result);
            } catch (CancellationException e) {
                finished(job, null);
            } catch (Exception | OutOfMemoryError e) {
                failed(job, e);
            }
        }
    }

    private void executeGenerate(List<RunningJob> claimed) {
        generateRunner.run(claimed, new GenerateJobRunner.Outcomes() {
            @Override
            public void finished(RunningJob job, ObjectNode result) {
                Worker.this.finished(job, result);
            }

            @Override
            public void failed(RunningJob job, Throwable error) {
                Worker.this.failed(job, error);
            }
        });
    }

    /** The attempt ended without an error: stopped early (why decides the status) or with a result. */
    private void finished(RunningJob job, ObjectNode result) {
        UUID id = job.job().id();
        try (JobLog log = JobLog.of(id)) {
            if (job.leaseLost()) {
                LOG.warn("job {}: lease lost; leaving it to the worker that has it now", id);
                metrics.attempt(job.job().type(), Outcome.LEASE_LOST);
            } else if (job.cancelRequested()) {
                durably(job, () -> jobs.cancelled(id, settings.workerId()));
                LOG.info("job {} cancelled", id);
                metrics.attempt(job.job().type(), Outcome.CANCELLED);
            } else if (job.shuttingDown()) {
                durably(job, () -> jobs.release(id, settings.workerId()));
                LOG.info("job {} handed back (shutdown)", id);
                metrics.attempt(job.job().type(), Outcome.HANDED_BACK);
            } else {
                durably(job, () -> jobs.succeed(id, settings.workerId(), result));
                LOG.info("job {} succeeded", id);
                metrics.attempt(job.job().type(), Outcome.SUCCEEDED);
            }
        } finally {
            running.remove(job);
        }
    }

    private void failed(RunningJob job, Throwable error) {
        UUID id = job.job().id();
        try (JobLog log = JobLog.of(id)) {
            if (job.shouldStop()) {
                finished(job, null);
                return;
            }
            JobError raw = Failures.classify(error);
            JobError e = new JobError(raw.code(), artifacts.redact(raw.message()), raw.retryable()); // no server paths
            long backoff = settings.retryBackoff().toMillis() << Math.min(10, Math.max(0, job.job().attempts() - 1));
            LOG.warn("job {} attempt {} failed: {} {}", id, job.job().attempts(), e.code(), e.message(),
                    e.retryable() ? error : null);
            Optional<JobStatus> now = durably(job, () -> jobs.fail(id, settings.workerId(), e, Duration.ofMillis(backoff)));
            now.ifPresent(status -> LOG.info("job {} is now {}", id, status.wire()));
            metrics.attempt(job.job().type(), now.isEmpty() ? Outcome.LEASE_LOST
                    : now.get() == JobStatus.QUEUED ? Outcome.RETRIED : Outcome.FAILED);
        } finally {
            running.remove(job);
        }
    }

    /**
     * A job's last write (its end status), after the reports an outage held back: retried while
     * PostgreSQL is not answering, for up to a lease (the heartbeat keeps the lease meanwhile).
     */
    private <T> T durably(RunningJob job, Supplier<T> write) {
        long deadline = System.nanoTime() + settings.lease().toNanos();
        Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2));
        while (true) {
            try {
                if (job.flush()) {
                    return write.get();
                }
            } catch (StoreException e) {
                if (!e.unavailable() || System.nanoTime() > deadline) {
                    throw e;
                }
                LOG.warn("job {}: writing its end waits for the database ({})", job.job().id(), e.getMessage());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + job.job().id() + ": the database did not answer for a lease");
            }
            try {
                Thread.sleep(backoff.next().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted writing the end of job " + job.job().id(), e);
            }
        }
    }

    private void beat() {
        for (RunningJob job : running) {
            try (JobLog log = JobLog.of(job.job().id())) {
                try {
                    job.heartbeat();
                } catch (RuntimeException e) {
                    LOG.warn("heartbeat of job {} failed: {}", job.job().id(), e.getMessage());
                }
            }
        }
    }

    /** Whether every consumer of this worker is polling or running a job (readiness). */
    public boolean consuming() {
        return !consumers.isEmpty() && consumers.stream().allMatch(JobConsumer::healthy);
    }

    /** Jobs running now (for tests and metrics). */
    public int runningJobs() {
        return running.size();
    }

    /**
     * Stops: no new records; running jobs stop at their next step and are handed back (queued
     * again, to resume from their newest checkpoint elsewhere); then the consumers close.
     */
    @Override
    public void close() {
        consumers.forEach(JobConsumer::stop);
        running.forEach(RunningJob::shutdown);
        for (Thread t : threads) {
            try {
                t.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        heartbeat.shutdownNow();
        modelCache.close();
    }
}
