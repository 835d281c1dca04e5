package dev.unmask.diffusion.train;

/**
 * A wall-clock limit on training: the trainer takes no step once {@code seconds} have passed since
 * its {@code run} began (at least one step is always taken), and then saves the final model as it
 * does at the last step. The step count of {@link TrainConfig#steps()} stays the upper bound.
 *
 * <p>A budget cannot know how many steps it will buy, and a decaying learning-rate schedule needs
 * that number; a budgeted run therefore uses a linear warm-up and then a constant rate
 * ({@link LrSchedule.Decay#CONSTANT}), the same rule for every model it is compared with.
 *
 * @param seconds the budget; {@link Double#POSITIVE_INFINITY} for none
 */
public record TimeBudget(double seconds) {
    /** No limit: the run ends at its last step. */
    public static final TimeBudget NONE = new TimeBudget(Double.POSITIVE_INFINITY);

    public TimeBudget {
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("a time budget must be positive, got " + seconds + " s");
        }
    }

    public static TimeBudget ofMinutes(double minutes) {
        return new TimeBudget(minutes * 60);
    }

    /** Whether a run that has been going for {@code elapsedSeconds} must stop before its next step. */
    public boolean spent(double elapsedSeconds) {
        return elapsedSeconds >= seconds;
    }

    public boolean limited() {
        return Double.isFinite(seconds);
    }
}
