package dev.unmask.diffusion.train;

import dev.unmask.diffusion.noise.NoiseSchedule;

/**
 * A training run's hyperparameters; errors name the field as the API spells it.
 *
 * @param gradAccumulation micro-batches per optimizer step
 * @param checkpointEvery save a resumable checkpoint every this many steps; 0 = only at the end
 * @param prefixLen tokens at the start of every sequence that are never masked
 * @param randomPrefix draw the protected prefix per sequence from 0..prefixLen instead
 * @param precision fp32, or fp16 mixed precision (for GPUs)
 */
public record TrainConfig(
        int steps, int batchSize, int gradAccumulation, double learningRate, int warmupSteps,
        LrSchedule.Decay decay, double weightDecay, double gradClip, double beta1, double beta2, double adamEps,
        int checkpointEvery, int prefixLen, boolean randomPrefix, NoiseSchedule noise, long seed,
        Precision precision) {

    public TrainConfig {
        range("steps", steps, 1, 10_000_000);
        range("batch_size", batchSize, 1, 65_536);
        range("grad_accumulation", gradAccumulation, 1, 1024);
        if (!(learningRate > 0) || learningRate > 1) {
            throw new IllegalArgumentException("learning_rate must be in (0, 1], got " + learningRate);
        }
        range("warmup_steps", warmupSteps, 0, steps);
        if (!(weightDecay >= 0) || weightDecay > 1) {
            throw new IllegalArgumentException("weight_decay must be in [0, 1], got " + weightDecay);
        }
        if (!(gradClip >= 0)) {
            throw new IllegalArgumentException("grad_clip must be >= 0 (0 = off), got " + gradClip);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(adamEps > 0)) {
            throw new IllegalArgumentException("adam betas must be in [0, 1) and eps positive");
        }
        range("checkpoint_every", checkpointEvery, 0, Integer.MAX_VALUE);
        range("prefix_len", prefixLen, 0, 1_000_000);
        if (noise == null) {
            throw new IllegalArgumentException("noise is required");
        }
        if (precision == null) {
            throw new IllegalArgumentException("precision is required");
        }
        if (decay == null) {
            throw new IllegalArgumentException("lr_decay is required");
        }
    }

    private static void range(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be in [" + min + ", " + max + "], got " + value);
        }
    }

    public LrSchedule schedule() {
        return new LrSchedule(learningRate, warmupSteps, steps, decay);
    }
}
