package dev.unmask.diffusion.sample;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a denoising step decides which predictions to keep. */
public enum Strategy {
    /**
     * The reference recipe (Barry): predict every generated position, then re-mask a random
     * fraction that shrinks linearly to zero over {@code steps}.
     */
    REFINE,
    /**
     * Fast-dLLM: commit every masked position whose confidence is at least {@code threshold}, and
     * at least the most confident one per step; runs until nothing is masked.
     */
    CONFIDENCE,
    /**
     * LLaDA low-confidence remasking: commit the k most confident masked positions per step, k
     * spreading the masks evenly over {@code steps}.
     */
    TOPK;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Strategy fromWire(String name) {
        for (Strategy s : values()) {
            if (s.wireName().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("strategy '" + name + "' is not supported; supported: "
                + Arrays.stream(values()).map(Strategy::wireName).collect(Collectors.joining(", ")));
    }
}
