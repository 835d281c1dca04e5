package dev.unmask.diffusion.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** Process memory as Linux reports it. */
public final class Memory {
    private Memory() {}

    /** Resident set size in MiB from /proc/self/status, or -1 where unavailable. */
    public static long residentMegabytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }
}
