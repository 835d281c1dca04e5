package dev.unmask.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.shared.job.Job;
import dev.unmask.shared.store.JobStore;
import dev.unmask.shared.store.ProgressAck;
import dev.unmask.shared.store.StoreException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job this worker has claimed: reports progress and events, and knows when to stop: a user
 * asked to cancel, the lease was lost (another worker may have it now), or this worker is
 * shutting down (the job is handed back).
 *
 * <p>Reports ride out a database outage: one that cannot be written because PostgreSQL is not
 * answering stays in an ordered buffer, and the buffer is written, oldest first, by the next
 * report or heartbeat once it answers again; the job itself runs on. So a restart of PostgreSQL
 * shorter than the lease costs the job nothing. Past {@link #MAX_BUFFERED} reports (an outage far
 * longer than any lease) the attempt fails.
 */
final class RunningJob {
    private static final Logger LOG = LoggerFactory.getLogger(RunningJob.class);
    static final int MAX_BUFFERED = 100_000;

    /** A report not yet written. */
    private record Report(long step, long total, String kind, JsonNode data) {}

    private final Deque<Report> unwritten = new ArrayDeque<>();
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
    synchronized void report(long step, long total, String kind, JsonNode data) {
        if (leaseLost) {
            return;
        }
        hold(new Report(step, total, kind, data));
        flush();
    }

    /**
     * Reports of several jobs (one denoising step of a shared canvas) in one transaction. A job
     * whose earlier reports are still held back by an outage gets these after them, in order; when
     * the database is down, every report is held back by its own job.
     */
    static void reportTogether(List<Pending> reports) {
        List<Pending> together = new ArrayList<>();
        for (Pending p : reports) {
            if (p.job().leaseLost) {
                continue;
            }
            if (p.job().unwritten() > 0) {
                p.job().report(p.step(), p.total(), p.kind(), p.data());
            } else {
                together.add(p);
            }
        }
        if (together.isEmpty()) {
            return;
        }
        RunningJob first = together.get(0).job(); // one worker's jobs: one store, one lease
        Map<UUID, ProgressAck> acks;
        try {
            acks = first.jobs.reportAll(first.workerId, first.lease, together.stream()
                    .map(p -> new JobStore.Report(p.job().job.id(), p.step(), p.total(), p.kind(), p.data())).toList());
        } catch (StoreException e) {
            if (!e.unavailable()) {
                throw e;
            }
            together.forEach(p -> p.job().hold(new Report(p.step(), p.total(), p.kind(), p.data())));
            return;
        }
        for (Pending p : together) {
            ProgressAck ack = acks.get(p.job().job.id());
            if (ack != null) {
                p.job().apply(ack);
            }
        }
    }

    /** A report of {@link #reportTogether}. */
    record Pending(RunningJob job, long step, long total, String kind, JsonNode data) {}

    private synchronized void hold(Report report) {
        if (unwritten.size() >= MAX_BUFFERED) {
            throw new IllegalStateException("job " + job.id() + ": " + unwritten.size()
                    + " reports could not be written; the database has been down too long");
        }
        unwritten.add(report);
    }

    /** Writes the buffered reports in order; true when none is left. */
    synchronized boolean flush() {
        while (!unwritten.isEmpty() && !leaseLost) {
            Report r = unwritten.peek();
            try {
                apply(jobs.report(job.id(), workerId, lease, r.step(), r.total(), r.kind(), r.data()));
            } catch (StoreException e) {
                if (!e.unavailable()) {
                    throw e;
                }
                if (unwritten.size() == 1) {
                    LOG.warn("job {}: the database is not answering ({}); reports are kept until it is back",
                            job.id(), e.getMessage());
                }
                return false;
            }
            unwritten.poll();
        }
        if (leaseLost) {
            unwritten.clear();
        }
        return true;
    }

    /** Reports buffered during an outage and not yet written. */
    synchronized int unwritten() {
        return unwritten.size();
    }

    /** An event without progress. */
    void event(String kind, JsonNode data) {
        report(-1, -1, kind, data);
    }

    /** Renews the lease, after writing what an outage held back. */
    void heartbeat() {
        if (!leaseLost && flush()) {
            apply(jobs.heartbeat(job.id(), workerId, lease));
        }
    }

    private synchronized void apply(ProgressAck ack) {
        if (!ack.owned()) {
            leaseLost = true;
        }
        if (ack.cancelRequested()) {
            cancelRequested = true;
        }
    }
}
