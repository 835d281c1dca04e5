package dev.unmask.gateway.http;

import dev.unmask.shared.store.JobStore;
import dev.unmask.shared.store.NewJob;
import dev.unmask.shared.store.SubmitOutcome;
import dev.unmask.shared.store.Submitted;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Group commit of submits. Each request waits in a queue; at most {@code maxInFlight} batches run
 * on the JDBC pool at once, each taking up to {@code maxBatch} waiting requests and committing them
 * in one statement ({@link JobStore#submitAll}: one round trip, one WAL flush for all). Nothing
 * waits on a timer: a lone submit is committed at once, and requests arriving while batches run
 * gather for the next one. Each request is answered only after its own rows committed; when a
 * batch's statement fails, its jobs are retried one by one, so only a job that fails alone is
 * refused.
 */
final class SubmitBatcher {
    private record Pending(Callable<NewJob> prepare, Promise<Submitted> done, Context context) {}

    private final JobStore jobs;
    private final Blocking blocking;
    private final int maxBatch;
    private final int maxInFlight;
    private final ConcurrentLinkedQueue<Pending> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();

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
        if (maxBatch < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("maxBatch and maxInFlight must be positive: " + maxBatch + ", " + maxInFlight);
        }
        this.jobs = jobs;
        this.blocking = blocking;
        this.maxBatch = maxBatch;
        this.maxInFlight = maxInFlight;
    }

    /**
     * Submits the job {@code prepare} returns; {@code prepare} runs on the JDBC pool first (checks
     * that need the database) and may throw to refuse this request alone. Completes on the caller's
     * context once the job's rows are committed.
     */
    Future<Submitted> submit(Callable<NewJob> prepare) {
        Context context = Vertx.currentContext();
        Promise<Submitted> done = Promise.promise();
        waiting.add(new Pending(prepare, done, context));
        startIfRoom();
        return done.future();
    }

    private void startIfRoom() {
        while (!waiting.isEmpty()) {
            int running = inFlight.get();
            if (running >= maxInFlight) {
                return; // a running batch takes what waits when it is done
            }
            if (inFlight.compareAndSet(running, running + 1)) {
                blocking.run(this::drain);
                return;
            }
        }
    }

    /** On the JDBC pool: commits batches while requests wait, then gives its slot back. */
    private Void drain() {
        try {
            List<Pending> batch = take();
            while (!batch.isEmpty()) {
                commit(batch);
                batch = take();
            }
        } finally {
            inFlight.decrementAndGet();
        }
        startIfRoom(); // a request queued between the last take and the decrement
        return null;
    }

    private List<Pending> take() {
        List<Pending> batch = new ArrayList<>();
        Pending p;
        while (batch.size() < maxBatch && (p = waiting.poll()) != null) {
            batch.add(p);
        }
        return batch;
    }

    private void commit(List<Pending> batch) {
        List<Pending> ready = new ArrayList<>(batch.size());
        List<NewJob> jobsToSubmit = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            try {
                jobsToSubmit.add(p.prepare().call());
                ready.add(p);
            } catch (Exception e) {
                fail(p, e);
            }
        }
        if (ready.isEmpty()) {
            return;
        }
        try {
            complete(ready, jobs.submitAll(jobsToSubmit));
        } catch (RuntimeException e) {
            if (ready.size() == 1) {
                fail(ready.get(0), e);
                return;
            }
            for (int i = 0; i < ready.size(); i++) { // which job failed it: each alone
                try {
                    complete(List.of(ready.get(i)), jobs.submitAll(List.of(jobsToSubmit.get(i))));
                } catch (RuntimeException alone) {
                    fail(ready.get(i), alone);
                }
            }
        }
    }

    private static void complete(List<Pending> batch, List<SubmitOutcome> outcomes) {
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            SubmitOutcome outcome = outcomes.get(i);
            on(p, () -> {
                if (outcome.refused() != null) {
                    p.done().fail(outcome.refused());
                } else {
                    p.done().complete(outcome.submitted());
                }
            });
        }
    }

    private static void fail(Pending p, Throwable e) {
        on(p, () -> p.done().fail(e));
    }

    private static void on(Pending p, Runnable action) {
        if (p.context() == null) {
            action.run();
        } else {
            p.context().runOnContext(v -> action.run());
        }
    }
}
