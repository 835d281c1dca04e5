package dev.unmask.standalone.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.Locale;

/** One line redrawn in place: {@code [#####.....] step 120/800  loss 6.23  1,234 tok/s  ETA 5m12s}. */
final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final boolean inPlace;
    private long lastPrinted;

    ProgressBar(PrintStream out, boolean inPlace) {
        this.out = out;
        this.inPlace = inPlace;
    }

    /** Draws a {@code progress} event's data {step, total, loss, tokens_per_second, eta_seconds}. */
    void update(JsonNode p) {
        long step = p.path("step").asLong();
        long total = Math.max(1, p.path("total").asLong());
        long now = System.nanoTime();
        boolean last = step >= total;
        if (!inPlace && !last && now - lastPrinted < 10_000_000_000L) {
            return; // a log file gets a line every 10 s, not every step
        }
        lastPrinted = now;
        int filled = (int) (WIDTH * step / total);
        String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
        String line = String.format(Locale.ROOT, "[%s] step %d/%d  loss %.3f  %,.0f tok/s  ETA %s", bar, step, total,
                p.path("loss").asDouble(), p.path("tokens_per_second").asDouble(),
                duration(p.path("eta_seconds").asDouble()));
        out.print(inPlace ? "\r" + line + "   " : line + "\n");
        if (inPlace && last) {
            out.println();
        }
        out.flush();
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
