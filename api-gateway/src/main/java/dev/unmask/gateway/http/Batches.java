package dev.unmask.gateway.http;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Requests that wait in a queue and run on the JDBC pool in batches. At most {@code maxInFlight}
 * batches run at once, each taking up to {@code maxBatch} waiting requests. Nothing waits on a
 * timer: a lone request runs at once, and requests arriving while batches run gather for the next
 * one, so batches grow only when the database is the queue. A batch holds only requests that
 * arrived before it started, so it reads everything committed before any of them was sent.
 *
 * @param <T> what a request asks for
 * @param <R> its answer
 */
final class Batches<T, R> {
    /** One waiting request, answered once (a second answer is ignored) on the context it came from. */
    static final class Pending<T, R> {
        private final T request;
        private final Promise<R> done = Promise.promise();
        private final Context context;

        private Pending(T request, Context context) {
            this.request = request;
            this.context = context;
        }

        T request() {
            return request;
        }

        void complete(R answer) {
            on(() -> done.tryComplete(answer));
        }

        void fail(Throwable cause) {
            on(() -> done.tryFail(cause));
        }

        private void on(Runnable action) {
            if (context == null) {
                action.run();
            } else {
                context.runOnContext(v -> action.run());
            }
        }
    }

    private final Blocking blocking;
    private final int maxBatch;
    private final int maxInFlight;
    private final Consumer<List<Pending<T, R>>> work;
    private final ConcurrentLinkedQueue<Pending<T, R>> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong batches = new AtomicLong();

    /**
     * @param work runs one batch on the JDBC pool; it answers every request of it, and what it
     *     throws fails those it left unanswered
     */
    Batches(Blocking blocking, int maxBatch, int maxInFlight, Consumer<List<Pending<T, R>>> work) {
        if (maxBatch < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("maxBatch and maxInFlight must be positive: " + maxBatch + ", " + maxInFlight);
        }
        this.blocking = blocking;
        this.maxBatch = maxBatch;
        this.maxInFlight = maxInFlight;
        this.work = work;
    }

    /** Queues {@code request}; completes on the caller's context once its batch answered it. */
    Future<R> add(T request) {
        Pending<T, R> p = new Pending<>(request, Vertx.currentContext());
        waiting.add(p);
        startIfRoom();
        return p.done.future();
    }

    /** Batches run so far (a test's view of how requests were grouped). */
    long batchesRun() {
        return batches.get();
    }

    private void startIfRoom() {
        while (!waiting.isEmpty()) {
            int running = inFlight.get();
            if (running >= maxInFlight) {
                return; // a running batch takes what waits when it is done
            }
            if (inFlight.compareAndSet(running, running + 1)) {
                blocking.runShared(this::drain);
                return;
            }
        }
    }

    /** On the JDBC pool: runs batches while requests wait, then gives its slot back. */
    private Void drain() {
        try {
            List<Pending<T, R>> batch = take();
            while (!batch.isEmpty()) {
                run(batch);
                batch = take();
            }
        } finally {
            inFlight.decrementAndGet();
        }
        startIfRoom(); // a request queued between the last take and the decrement
        return null;
    }

    private void run(List<Pending<T, R>> batch) {
        batches.incrementAndGet();
        try {
            work.accept(batch);
        } catch (RuntimeException e) {
            batch.forEach(p -> p.fail(e)); // those already answered keep their answer
        }
    }

    private List<Pending<T, R>> take() {
        List<Pending<T, R>> batch = new ArrayList<>();
        Pending<T, R> p;
        while (batch.size() < maxBatch && (p = waiting.poll()) != null) {
            batch.add(p);
        }
        return batch;
    }
}
