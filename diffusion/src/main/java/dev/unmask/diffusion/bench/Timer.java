package dev.unmask.diffusion.bench;

import java.util.Arrays;

/** Wall-clock samples of a repeated measurement, summarised by the median. */
final class Timer {
    private final double[] seconds;
    private int count;

    Timer(int capacity) {
        seconds = new double[capacity];
    }

    void time(Runnable body) {
        long start = System.nanoTime();
        body.run();
        seconds[count++] = (System.nanoTime() - start) / 1e9;
    }

    double median() {
        double[] sorted = Arrays.copyOf(seconds, count);
        Arrays.sort(sorted);
        int mid = count / 2;
        return count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    double min() {
        return Arrays.stream(seconds, 0, count).min().orElse(Double.NaN);
    }
}
