package dev.unmask.diffusion.train;

/**
 * The dynamic loss scale of float16 training, as PyTorch's {@code GradScaler} keeps it: the loss
 * is multiplied by {@link #scale()} before backward so small gradients survive float16; a step
 * whose gradients overflow is skipped and the scale halved; after {@code growthInterval} clean
 * steps in a row the scale doubles.
 */
public final class LossScaler {
    public static final double INITIAL_SCALE = 65536.0;
    public static final int GROWTH_INTERVAL = 2000;
    /** Below this the gradients overflow at any scale: the run has diverged. */
    static final double MIN_SCALE = 1.0 / 65536;

    private final int growthInterval;
    private double scale;
    private int cleanSteps;

    public LossScaler(double scale, int cleanSteps, int growthInterval) {
        if (!(scale > 0) || growthInterval < 1) {
            throw new IllegalArgumentException("loss scale must be positive and growth interval >= 1");
        }
        this.scale = scale;
        this.cleanSteps = cleanSteps;
        this.growthInterval = growthInterval;
    }

    public static LossScaler initial() {
        return new LossScaler(INITIAL_SCALE, 0, GROWTH_INTERVAL);
    }

    public double scale() {
        return scale;
    }

    /** Clean steps since the last overflow or growth. */
    public int cleanSteps() {
        return cleanSteps;
    }

    /** What a checkpoint keeps of the scaler. */
    public record Saved(double scale, int cleanSteps) {}

    public Saved saved() {
        return new Saved(scale, cleanSteps);
    }

    /** Continues from a checkpoint's scale and clean-step count. */
    public void restore(Saved saved) {
        if (!(saved.scale() > 0) || saved.cleanSteps() < 0) {
            throw new IllegalArgumentException("bad loss scale state: " + saved);
        }
        scale = saved.scale();
        cleanSteps = saved.cleanSteps();
    }

    /** Records a step whose unscaled gradients were all finite. */
    public void clean() {
        if (++cleanSteps >= growthInterval) {
            scale *= 2;
            cleanSteps = 0;
        }
    }

    /**
     * Records a step whose gradients overflowed (it is skipped).
     *
     * @return false when the scale has fallen below {@link #MIN_SCALE}: the loss itself is not finite
     */
    public boolean overflow() {
        scale /= 2;
        cleanSteps = 0;
        return scale >= MIN_SCALE;
    }
}
