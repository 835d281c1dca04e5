package dev.unmask.diffusion.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's one-minute load average (Linux {@code /proc/loadavg}); NaN where there is none.
 * Benchmarks print it beside their numbers, so that a noisy round can be told apart.
 */
public final class LoadAverage {
    private static final Path FILE = Path.of("/proc/loadavg");

    private LoadAverage() {}

    public static double oneMinute() {
        try {
            return Double.parseDouble(Files.readString(FILE).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
