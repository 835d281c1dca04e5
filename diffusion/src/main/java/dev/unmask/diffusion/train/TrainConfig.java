package dev.unmask.diffusion.train;

import dev.unmask.diffusion.noise.ContinuousTime;
import dev.unmask.diffusion.noise.DiscreteLevels;
import dev.unmask.diffusion.noise.NoiseSchedule;
import dev.unmask.jobspec.ParamValues;
import dev.unmask.jobspec.TrainParams;

/**
 * A training run's hyperparameters, checked against their description ({@link TrainParams}); errors
 * name the field as the API spells it. Built from described values by {@link #from}.
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
        TrainParams.STEPS.requireInt(steps);
        TrainParams.BATCH_SIZE.requireInt(batchSize);
        TrainParams.GRAD_ACCUMULATION.requireInt(gradAccumulation);
        TrainParams.LEARNING_RATE.requireNumber(learningRate);
        TrainParams.WARMUP_STEPS.requireInt(warmupSteps);
        if (warmupSteps > steps) {
            throw new IllegalArgumentException("warmup_steps must be in [0, " + steps + "], got " + warmupSteps);
        }
        TrainParams.WEIGHT_DECAY.requireNumber(weightDecay);
        TrainParams.GRAD_CLIP.requireNumber(gradClip);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(adamEps > 0)) {
            throw new IllegalArgumentException("adam betas must be in [0, 1) and eps positive");
        }
        TrainParams.CHECKPOINT_EVERY.requireInt(checkpointEvery);
        TrainParams.PREFIX_LEN.requireInt(prefixLen);
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

    /**
     * The one place a run's configuration is built from described values ({@link TrainParams}):
     * what {@code ./unmask train} and the worker's train jobs call. AdamW's betas and epsilon are
     * {@link TrainParams#ADAM_BETA1}, {@link TrainParams#ADAM_BETA2}, {@link TrainParams#ADAM_EPS}.
     *
     * @param randomPrefix draw the protected prefix per sequence from 0..prefix_len (a command-line choice)
     * @throws IllegalArgumentException naming every value the description refuses
     */
    public static TrainConfig from(ParamValues v, boolean randomPrefix) {
        TrainParams.SET.require(v);
        NoiseSchedule noise = switch (v.getString(TrainParams.NOISE_SCHEDULE)) {
            case "continuous" -> new ContinuousTime(v.getDouble(TrainParams.NOISE_EPS));
            default -> new DiscreteLevels(v.getInt(TrainParams.NOISE_LEVELS));
        };
        return new TrainConfig(v.getInt(TrainParams.STEPS), v.getInt(TrainParams.BATCH_SIZE),
                v.getInt(TrainParams.GRAD_ACCUMULATION), v.getDouble(TrainParams.LEARNING_RATE),
                v.getInt(TrainParams.WARMUP_STEPS), LrSchedule.Decay.fromWire(v.getString(TrainParams.LR_DECAY)),
                v.getDouble(TrainParams.WEIGHT_DECAY), v.getDouble(TrainParams.GRAD_CLIP), TrainParams.ADAM_BETA1,
                TrainParams.ADAM_BETA2, TrainParams.ADAM_EPS, v.getInt(TrainParams.CHECKPOINT_EVERY),
                v.getInt(TrainParams.PREFIX_LEN), randomPrefix, noise, v.getLong(TrainParams.SEED),
                Precision.parse(v.getString(TrainParams.PRECISION)));
    }

    public LrSchedule schedule() {
        return new LrSchedule(learningRate, warmupSteps, steps, decay);
    }
}
