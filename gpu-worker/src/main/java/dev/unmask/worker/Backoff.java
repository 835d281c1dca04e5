package dev.unmask.worker;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delays between retries of something that failed: doubling from {@code first} up to {@code max},
 * each drawn from [half, whole] of its step so that workers failing together do not retry together.
 * Not thread-safe: one per loop.
 */
final class Backoff {
    private final long firstMillis;
    private final long maxMillis;
    private long stepMillis;

    Backoff(Duration first, Duration max) {
        this.firstMillis = first.toMillis();
        this.maxMillis = max.toMillis();
        this.stepMillis = firstMillis;
    }

    /** The next delay; each call doubles the step until the maximum. */
    Duration next() {
        long step = stepMillis;
        stepMillis = Math.min(maxMillis, stepMillis * 2);
        return Duration.ofMillis(step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1));
    }

    /** After a success: the next failure starts from the first step again. */
    void reset() {
        stepMillis = firstMillis;
    }
}
