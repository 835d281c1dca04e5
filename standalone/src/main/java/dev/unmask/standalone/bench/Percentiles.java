package dev.unmask.standalone.bench;

import java.util.Arrays;

/** Latency percentiles (nearest rank) of a set of samples in milliseconds. */
record Percentiles(int count, double p50, double p90, double p99, double max) {
    static Percentiles of(double[] samplesMs) {
        double[] s = samplesMs.clone();
        Arrays.sort(s);
        return new Percentiles(s.length, rank(s, 0.50), rank(s, 0.90), rank(s, 0.99), s[s.length - 1]);
    }

    private static double rank(double[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "n=%d p50=%.2f ms p90=%.2f ms p99=%.2f ms max=%.2f ms",
                count, p50, p90, p99, max);
    }
}
