package dev.unmask.diffusion.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's one-minute load average (Linux {@code /proc/loadavg}); NaN where there is none. */
final class LoadAverage {
    private static final Path FILE = Path.of("/proc/loadavg");

    private LoadAverage() {}

    static double oneMinute() {
        try {
            return Double.parseDouble(Files.readString(FILE).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
