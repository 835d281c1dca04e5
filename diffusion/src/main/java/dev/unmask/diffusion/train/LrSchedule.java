package dev.unmask.diffusion.train;

import java.util.Locale;

/**
 * Learning rate by step: linear warmup from 0 over {@code warmupSteps}, then linear or cosine
 * decay to 0 at {@code totalSteps}. A pure function of the step.
 */
public record LrSchedule(double peak, int warmupSteps, int totalSteps, Decay decay) {

    public enum Decay {
        LINEAR, COSINE, CONSTANT;

        public static Decay fromWire(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("lr_decay '" + name + "' is not supported; supported: linear, cosine, constant");
            }
        }
    }

    public LrSchedule {
        if (!(peak > 0)) {
            throw new IllegalArgumentException("learning_rate must be positive, got " + peak);
        }
        if (warmupSteps < 0 || warmupSteps > totalSteps) {
            throw new IllegalArgumentException("warmup_steps must be in [0, steps=" + totalSteps + "], got " + warmupSteps);
        }
    }

    /** The rate for 1-based {@code step}. */
    public double lr(int step) {
        if (step <= warmupSteps) {
            return peak * step / Math.max(1, warmupSteps);
        }
        double progress = (step - warmupSteps) / (double) Math.max(1, totalSteps - warmupSteps); // (0, 1]
        return switch (decay) {
            case LINEAR -> peak * (1 - progress);
            case COSINE -> peak * 0.5 * (1 + Math.cos(Math.PI * progress));
            case CONSTANT -> peak;
        };
    }
}
