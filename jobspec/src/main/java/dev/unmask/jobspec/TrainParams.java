package dev.unmask.jobspec;

import java.util.ArrayList;
import java.util.List;

/** A train job's hyperparameters (the API's {@code hyperparameters} object; {@code ./unmask train}'s options). */
public final class TrainParams {
    private TrainParams() {}

    public static final Param STEPS = Param.integer("steps", 1000).range(1, 10_000_000)
            .title("Steps").doc("optimizer steps");
    public static final Param BATCH_SIZE = Param.integer("batch_size", 16).range(1, 4096)
            .title("Batch size").doc("sequences per micro-batch");
    public static final Param SEQ_LEN = Param.integer("seq_len", 128).range(8, 8192)
            .title("Sequence length").doc("tokens per training sequence");
    public static final Param LEARNING_RATE = Param.number("learning_rate", 5e-4).range(0, true, 1)
            .title("Learning rate").doc("peak learning rate of AdamW");
    /** The default warm-up: 5% of the steps, written here and nowhere else. */
    public static final Param WARMUP_STEPS = Param.integer("warmup_steps", 0).range(0, 10_000_000)
            .derived("5% of steps", v -> v.getLong(STEPS) / 20)
            .title("Warmup steps").doc("linear warm-up steps; at most steps");
    public static final Param LR_DECAY = Param.choice("lr_decay", "linear", "linear", "cosine", "constant")
            .title("Learning-rate decay").doc("the learning rate's decay after the warm-up, to 0 at the last step");
    public static final Param WEIGHT_DECAY = Param.number("weight_decay", 0.01).range(0, false, 1)
            .title("Weight decay").doc("AdamW's decoupled weight decay");
    public static final Param GRAD_CLIP = Param.number("grad_clip", 1.0).range(0, false, 1e6)
            .title("Gradient clip").doc("clip the gradient's global norm to this; 0 = off");
    public static final Param GRAD_ACCUMULATION = Param.integer("grad_accumulation", 1).range(1, 1024)
            .title("Gradient accumulation").doc("micro-batches per optimizer step");
    public static final Param CHECKPOINT_EVERY = Param.integer("checkpoint_every", 100).range(0, 10_000_000)
            .title("Checkpoint every (0 = final only)").doc("save a resumable checkpoint every this many steps; 0 = only the final model");
    public static final Param PREFIX_LEN = Param.integer("prefix_len", 0).range(0, SEQ_LEN.max().longValue() - 1)
            .title("Protected prefix length").doc("tokens at the start of every sequence never masked; smaller than seq_len");
    public static final Param SEED = Param.integer("seed", 0)
            .title("Seed").doc("seeds the initialisation, the data order and the noise");
    public static final Param NOISE_SCHEDULE = Param.choice("noise.schedule", "discrete", "discrete", "continuous")
            .cli("--noise").title("Noise schedule")
            .doc("discrete: one masking ratio per batch from levels 1, (N-1)/N, ..., 1/N; continuous: t ~ U(eps, 1) "
                    + "per sequence, loss weighted 1/t");
    public static final Param NOISE_LEVELS = Param.integer("noise.levels", 10).range(1, 1000)
            .when(NOISE_SCHEDULE, "discrete").title("Noise levels").doc("discrete noise: the number of levels N");
    public static final Param NOISE_EPS = Param.number("noise.eps", 0.001).range(0, true, 0.5)
            .when(NOISE_SCHEDULE, "continuous").title("Noise eps").doc("continuous noise: the smallest t");
    public static final Param VOCAB_SIZE = Param.integer("vocab_size", 8000).range(262, 1_000_000)
            .title("Vocabulary size (from scratch)").doc("the BPE vocabulary of the tokenizer trained for a from-scratch (preset) run");
    public static final Param HELD_OUT = Param.number("held_out", 0.05).range(0, false, 0.5)
            .title("Held-out fraction").doc("fraction of documents held out for evaluation");
    public static final Param EVAL_SAMPLES = Param.integer("eval_samples", 2).range(0, 100)
            .title("Eval samples").doc("Monte Carlo samples of t for the ELBO after training; 0 = no evaluation");
    public static final Param PRECISION = Param.choice("precision", "fp32", "fp32", "fp16")
            .title("Precision").doc("fp16: mixed precision (float16 forward and backward, float32 master weights, "
                    + "dynamic loss scale); GPU workers only: a CPU worker fails the job at once with error code "
                    + "invalid_input");

    /** AdamW's moment decay rates and epsilon: fixed, not parameters of a job; every run uses these. */
    public static final double ADAM_BETA1 = 0.9;
    public static final double ADAM_BETA2 = 0.999;
    public static final double ADAM_EPS = 1e-8;

    public static final ParamSet SET = new ParamSet("train", List.of(STEPS, BATCH_SIZE, SEQ_LEN, LEARNING_RATE,
            WARMUP_STEPS, LR_DECAY, WEIGHT_DECAY, GRAD_CLIP, GRAD_ACCUMULATION, CHECKPOINT_EVERY, PREFIX_LEN, SEED,
            NOISE_SCHEDULE, NOISE_LEVELS, NOISE_EPS, VOCAB_SIZE, HELD_OUT, EVAL_SAMPLES, PRECISION),
            TrainParams::rules);

    /**
     * Warm-up at most the steps; the protected prefix shorter than a sequence. A value its own
     * range refuses is reported there, not again here.
     */
    private static List<ParamError> rules(ParamValues v) {
        List<ParamError> errors = new ArrayList<>();
        if (inRange(v, WARMUP_STEPS) && v.has(STEPS) && v.getLong(WARMUP_STEPS) > v.getLong(STEPS)) {
            errors.add(new ParamError(WARMUP_STEPS.path(), "range", "must be in [0, " + v.getLong(STEPS) + "], got "
                    + v.getLong(WARMUP_STEPS)));
        }
        if (inRange(v, PREFIX_LEN) && v.has(SEQ_LEN) && v.getLong(PREFIX_LEN) >= v.getLong(SEQ_LEN)) {
            errors.add(new ParamError(PREFIX_LEN.path(), "range", "must be smaller than seq_len (" + v.getLong(SEQ_LEN)
                    + "), got " + v.getLong(PREFIX_LEN)));
        }
        return errors;
    }

    private static boolean inRange(ParamValues v, Param p) {
        return v.has(p) && p.check(v.get(p)).isEmpty();
    }
}
