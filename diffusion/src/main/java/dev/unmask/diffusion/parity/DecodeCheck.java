package dev.unmask.diffusion.parity;

import dev.unmask.diffusion.sample.GenerationConfig;
import dev.unmask.diffusion.sample.Strategy;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A greedy decoding reference in a parity file, named by its parameter:
 * {@code decode_confidence_0p5} (threshold 0.5) or {@code decode_topk_6steps} (6 steps).
 */
record DecodeCheck(String key, GenerationConfig config) {
    private static final Pattern CONFIDENCE = Pattern.compile("decode_confidence_(\\d+)(?:p(\\d+))?");
    private static final Pattern TOPK = Pattern.compile("decode_topk_(\\d+)steps");

    /** The check a key names, if it names one. */
    static Optional<DecodeCheck> parse(String key, int canvasLength) {
        Matcher m = CONFIDENCE.matcher(key);
        if (m.matches()) {
            double threshold = Double.parseDouble(m.group(1) + (m.group(2) == null ? "" : "." + m.group(2)));
            return Optional.of(new DecodeCheck(key, greedy(Strategy.CONFIDENCE, canvasLength, threshold)));
        }
        m = TOPK.matcher(key);
        if (m.matches()) {
            return Optional.of(new DecodeCheck(key, greedy(Strategy.TOPK, Integer.parseInt(m.group(1)), 1.0)));
        }
        return Optional.empty();
    }

    /** Greedy, over the whole vocabulary, one block, attention on every position: the reference's decoding. */
    private static GenerationConfig greedy(Strategy strategy, int steps, double threshold) {
        return new GenerationConfig(strategy, Math.max(1, steps), 0.0, 0, 1.0, threshold, 0, false);
    }
}
