package dev.unmask.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A periodic duty runs one pass at a time, and its undeploy waits for the pass in flight. */
@Timeout(30)
class PeriodicPassTest {
    /** A pass that blocks until released, counting how many run at once. */
    private static final class Gate extends PeriodicPass {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();
        final AtomicInteger passes = new AtomicInteger();

        Gate() {
            super("gate", Duration.ofMillis(5));
        }

        @Override
        protected void runPass() {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            passes.incrementAndGet();
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.decrementAndGet();
            }
        }
    }

    @Test
    void undeployingWaitsForThePassInFlightAndNoPassOverlapsAnother() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Gate gate = new Gate();
            String id = vertx.deployVerticle(gate).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertTrue(gate.entered.await(10, TimeUnit.SECONDS), "a pass started");
            Thread.sleep(100); // some 20 ticks while the pass blocks: each is skipped
            Future<Void> undeployed = vertx.undeploy(id);
            Thread.sleep(200);
            assertFalse(undeployed.isComplete(), "undeploy completes only after the pass in flight");
            gate.release.countDown();
            undeployed.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(0, gate.running.get());
            assertEquals(1, gate.mostAtOnce.get(), "never two passes at once");
            int passes = gate.passes.get();
            Thread.sleep(100);
            assertEquals(passes, gate.passes.get(), "no pass after undeploy");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFailedPassIsLoggedAndTheNextTickRunsAgain() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            AtomicInteger passes = new AtomicInteger();
            CountDownLatch three = new CountDownLatch(3);
            PeriodicPass failing = new PeriodicPass("failing", Duration.ofMillis(5)) {
                @Override
                protected void runPass() {
                    passes.incrementAndGet();
                    three.countDown();
                    throw new IllegalStateException("boom");
                }
            };
            vertx.deployVerticle(failing).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertTrue(three.await(10, TimeUnit.SECONDS), "passes went on after failures: " + passes.get());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
