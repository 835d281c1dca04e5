package dev.unmask.diffusion.train;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The arithmetic of training. {@code fp32}: everything in float32 (the CPU default). {@code fp16}:
 * mixed precision for GPUs: forward and backward in float16 with a dynamic loss scale, float32
 * master weights and AdamW moments (see {@link MixedPrecision}).
 */
public enum Precision {
    FP32,
    FP16;

    /** The name used on the command line and in job specs. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Precision parse(String text) {
        for (Precision p : values()) {
            if (p.label().equalsIgnoreCase(text)) {
                return p;
            }
        }
        throw new IllegalArgumentException("precision must be one of "
                + Arrays.stream(values()).map(Precision::label).collect(Collectors.joining(", ")) + ", got " + text);
    }
}
