package dev.unmask.gateway.http;

import dev.unmask.gateway.http.Batches.Pending;
import dev.unmask.shared.store.JobStore;
import dev.unmask.shared.store.NewJob;
import dev.unmask.shared.store.SubmitOutcome;
import dev.unmask.shared.store.Submitted;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Group commit of submits. Requests wait and run in {@link Batches}: at most {@code maxInFlight}
 * at once, each committing up to {@code maxBatch} waiting submits in one statement
 * ({@link JobStore#submitAll}: one round trip, one WAL flush for all). Nothing waits on a timer: a
 * lone submit is committed at once, and requests arriving while batches run gather for the next
 * one. Each request is answered only after its own rows committed; when a
 * batch's statement fails, its jobs are retried one by one, so only a job that fails alone is
 * refused.
 */
final class SubmitBatcher {
    private final JobStore jobs;
    private final Batches<Callable<NewJob>, Submitted> batches;

    /**
     * Batches committing at once for a JDBC pool of {@code poolSize}: two, or fewer in a smaller
     * pool (half of it, so reads keep connections). Two overlap one batch's round trip with the
     * other's execution; more only split the waiting requests into smaller batches: at four,
     * batches averaged 2.9 submits and PostgreSQL spent 0.57-0.61 ms of CPU a submit, at two 0.47,
     * at one 0.40-0.42, with the same throughput ({@code bench api}, 16 clients, 2 cores).
     */
    static int inFlight(int poolSize) {
        return Math.max(1, Math.min(2, poolSize / 2));
    }

    SubmitBatcher(JobStore jobs, Blocking blocking, int maxBatch, int maxInFlight) {
        this.jobs = jobs;
        this.batches = new Batches<>(blocking, maxBatch, maxInFlight, this::commit);
    }

    /**
     * Submits the job {@code prepare} returns; {@code prepare} runs on the JDBC pool first (checks
     * that need the database) and may throw to refuse this request alone. Completes on the caller's
     * context once the job's rows are committed.
     */
    Future<Submitted> submit(Callable<NewJob> prepare) {
        return batches.add(prepare);
    }

    private void commit(List<Pending<Callable<NewJob>, Submitted>> batch) {
        List<Pending<Callable<NewJob>, Submitted>> ready = new ArrayList<>(batch.size());
        List<NewJob> jobsToSubmit = new ArrayList<>(batch.size());
        for (Pending<Callable<NewJob>, Submitted> p : batch) {
            try {
                jobsToSubmit.add(p.request().call());
                ready.add(p);
            } catch (Exception e) {
                p.fail(e);
            }
        }
        if (ready.isEmpty()) {
            return;
        }
        try {
            complete(ready, jobs.submitAll(jobsToSubmit));
        } catch (RuntimeException e) {
            if (ready.size() == 1) {
                ready.get(0).fail(e);
                return;
            }
            for (int i = 0; i < ready.size(); i++) { // which job failed it: each alone
                try {
                    complete(List.of(ready.get(i)), jobs.submitAll(List.of(jobsToSubmit.get(i))));
                } catch (RuntimeException alone) {
                    ready.get(i).fail(alone);
                }
            }
        }
    }

    private static void complete(List<Pending<Callable<NewJob>, Submitted>> batch, List<SubmitOutcome> outcomes) {
        for (int i = 0; i < batch.size(); i++) {
            Pending<Callable<NewJob>, Submitted> p = batch.get(i);
            SubmitOutcome outcome = outcomes.get(i);
            if (outcome.refused() != null) {
                p.fail(outcome.refused());
            } else {
                p.complete(outcome.submitted());
            }
        }
    }
}
