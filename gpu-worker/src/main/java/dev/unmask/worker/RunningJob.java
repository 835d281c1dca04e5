package dev.unmask.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.shared.job.Job;
import dev.unmask.shared.store.JobStore;
import dev.unmask.shared.store.ProgressAck;
import java.time.Duration;

/**
 * A job this worker has claimed: reports progress and events, and knows when to stop: a user
 * asked to cancel, the lease was lost (another worker may have it now), or this worker is
 * shutting down (the job is handed back).
 */
final class RunningJob {
    private final Job job;
    private final String workerId;
    private final JobStore jobs;
    private final Duration lease;
    private volatile boolean cancelRequested;
    private volatile boolean leaseLost;
    private volatile boolean shutdown;

    RunningJob(Job job, String workerId, JobStore jobs, Duration lease) {
        this.job = job;
        this.workerId = workerId;
        this.jobs = jobs;
        this.lease = lease;
    }

    Job job() {
        return job;
    }

    /** Checked between training and denoising steps. */
    boolean shouldStop() {
        return cancelRequested || leaseLost || shutdown;
    }

    boolean cancelRequested() {
        return cancelRequested;
    }

    boolean leaseLost() {
        return leaseLost;
    }

    boolean shuttingDown() {
        return shutdown;
    }

    void shutdown() {
        shutdown = true;
    }

    /** Progress (step of total) and an event; learns of cancellation and lost leases. */
    void report(long step, long total, String kind, JsonNode data) {
        if (!leaseLost) {
            apply(jobs.report(job.id(), workerId, lease, step, total, kind, data));
        }
    }

    /** An event without progress. */
    void event(String kind, JsonNode data) {
        report(-1, -1, kind, data);
    }

    void heartbeat() {
        if (!leaseLost) {
            apply(jobs.heartbeat(job.id(), workerId, lease));
        }
    }

    private void apply(ProgressAck ack) {
        if (!ack.owned()) {
            leaseLost = true;
        }
        if (ack.cancelRequested()) {
            cancelRequested = true;
        }
    }
}
