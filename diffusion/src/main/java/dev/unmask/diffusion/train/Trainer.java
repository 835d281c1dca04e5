package dev.unmask.diffusion.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.unmask.diffusion.checkpoint.HfCheckpointWriter;
import dev.unmask.diffusion.model.GradMode;
import dev.unmask.diffusion.model.MaskedLanguageModel;
import dev.unmask.diffusion.model.Scalars;
import dev.unmask.diffusion.model.ParameterSpec;
import dev.unmask.diffusion.model.TrainableModel;
import dev.unmask.diffusion.noise.Masker;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import dev.unmask.diffusion.util.Rng;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Trains a model with an {@link Objective}: the diffusion objective of a masked LM
 * ({@link MaskedDiffusion}, which masks each batch at ratios from the noise schedule and computes
 * the LM head only at masked positions) or GPT-2's next-token prediction ({@link NextToken}).
 * Each step backpropagates the objective's loss, clips the global gradient norm, and takes an
 * AdamW step. Checkpoints carry optimizer, RNG and data state, so a resumed run produces exactly
 * the losses of an unbroken one.
 */
public final class Trainer implements AutoCloseable {
    private final TrainableModel<?> model;
    private final TextTokenizer tokenizer;
    private final TrainConfig config;
    private final RunConfig runConfig;
    private final BatchSource data;
    private final Path outputDir;
    private final MicroBatchLoss objective;
    private final AdamW optimizer;
    private final NDManager manager;
    private final MixedPrecision<?> mixed; // null in fp32
    /** The parameters and device of the model that computes: the float16 copy in fp16, else the model. */
    private final Map<String, NDArray> computeParameters;
    private final Device computeDevice;
    private Rng rng;
    private int step;

    /** The loss of one micro-batch on the computing model (the objective bound to it). */
    @FunctionalInterface
    private interface MicroBatchLoss {
        NDArray loss(TrainBatch batch, Rng rng, NDManager scope);
    }

    /** A masked LM with the diffusion objective of {@code config}'s noise and prefix. */
    public Trainer(MaskedLanguageModel model, TextTokenizer tokenizer, TrainConfig config, BatchSource data,
            Path outputDir) {
        this(model, tokenizer, config, data, outputDir, RunConfig.of(config));
    }

    /**
     * A masked LM with the diffusion objective of {@code config}'s noise and prefix.
     *
     * @param runConfig the whole run's configuration, recorded in every checkpoint
     */
    public Trainer(MaskedLanguageModel model, TextTokenizer tokenizer, TrainConfig config, BatchSource data,
            Path outputDir, RunConfig runConfig) {
        this(model, diffusion(tokenizer, config), tokenizer, config, data, outputDir, runConfig);
    }

    /**
     * A model of any family with its objective.
     *
     * @param runConfig the whole run's configuration, recorded in every checkpoint
     */
    public <M extends TrainableModel<M>> Trainer(M model, Objective<? super M> objective, TextTokenizer tokenizer,
            TrainConfig config, BatchSource data, Path outputDir, RunConfig runConfig) {
        this.model = model;
        this.runConfig = runConfig;
        this.tokenizer = tokenizer;
        this.config = config;
        this.data = data;
        this.outputDir = outputDir;
        this.manager = model.manager().newSubManager();
        Set<String> decayed = model.parameterSpecs().values().stream().filter(ParameterSpec::decays)
                .map(ParameterSpec::name).collect(Collectors.toSet());
        this.optimizer = new AdamW(model.parameters(), decayed, config.beta1(), config.beta2(), config.adamEps(),
                config.weightDecay(), manager);
        MixedPrecision<M> half = config.precision() == Precision.FP16
                ? MixedPrecision.of(model, manager, LossScaler.initial()) : null;
        this.mixed = half;
        M compute = half == null ? model : half.compute();
        this.computeParameters = compute.parameters();
        this.objective = (batch, random, scope) -> objective.loss(compute, batch, random, scope);
        this.computeDevice = compute.device();
        this.rng = new Rng(config.seed());
    }

    /** The diffusion objective a {@link TrainConfig} describes: its noise, protected prefix, the tokenizer's specials. */
    public static MaskedDiffusion diffusion(TextTokenizer tokenizer, TrainConfig config) {
        return new MaskedDiffusion(new Masker(config.noise(), tokenizer.specials(), config.prefixLen(),
                config.randomPrefix()));
    }

    /** Continues from a checkpoint written by a run of the same config: optimizer, RNG, data position, step. */
    public void resumeFrom(Path checkpointDir) throws IOException {
        TrainingCheckpoint.State state = TrainingCheckpoint.readState(checkpointDir);
        if (state.step() > config.steps()) {
            throw new IllegalArgumentException("checkpoint is at step " + state.step() + ", past steps=" + config.steps());
        }
        TrainingCheckpoint.restoreOptimizer(checkpointDir, optimizer, state.optimizerSteps(), manager);
        if (mixed != null) {
            mixed.refresh(); // the model was loaded from the checkpoint after the copy was made
            state.lossScale().ifPresent(mixed.scaler()::restore);
        }
        rng = new Rng(state.rngState());
        data.restore(state.dataPosition());
        step = state.step();
    }

    /** The fp16 loss scaler; empty in fp32. */
    Optional<LossScaler> lossScaler() {
        return Optional.ofNullable(mixed).map(MixedPrecision::scaler);
    }

    /** The step the next {@link #run} starts after. */
    public int step() {
        return step;
    }

    /**
     * Runs to {@code config.steps()}; writes the final model to the output folder.
     *
     * @param listener told of every step and every checkpoint
     * @param cancelled checked before every step; true stops with {@link CancellationException}
     */
    public TrainingResult run(TrainingListener listener, BooleanSupplier cancelled) throws IOException {
        return run(listener, cancelled, TimeBudget.NONE);
    }

    /**
     * Runs to {@code config.steps()} or until {@code budget} is spent (checked before every step
     * after the first), whichever comes first; writes the final model to the output folder.
     *
     * @param listener told of every step and every checkpoint
     * @param cancelled checked before every step; true stops with {@link CancellationException}
     */
    public TrainingResult run(TrainingListener listener, BooleanSupplier cancelled, TimeBudget budget)
            throws IOException {
        Map<String, NDArray> params = computeParameters;
        LrSchedule schedule = config.schedule();
        List<Path> checkpoints = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        long start = System.nanoTime();
        long tokens = 0;
        int firstStep = step;
        double loss = Double.NaN;
        params.values().forEach(p -> p.setRequiresGradient(true));
        try {
            while (step < config.steps()) {
                if (step > firstStep && budget.spent((System.nanoTime() - start) / 1e9)) {
                    break;
                }
                if (cancelled.getAsBoolean()) {
                    throw new CancellationException("training cancelled at step " + step);
                }
                int next = step + 1;
                double lr = schedule.lr(next);
                double scale = mixed == null ? 1 : mixed.scaler().scale();
                loss = 0;
                for (int micro = 0; micro < config.gradAccumulation(); micro++) {
                    TrainBatch batch = data.next();
                    tokens += realTokens(batch);
                    loss += backward(batch, scale) / config.gradAccumulation();
                }
                if (!Double.isFinite(loss) && mixed == null) {
                    throw new ai.djl.TrainingDivergedException("loss is " + loss + " at step " + next
                            + "; lower learning_rate or raise warmup_steps");
                }
                double gradNorm = update(params, lr, scale, next);
                zeroGradients(params);
                step = next;
                losses.add(loss);
                double elapsed = (System.nanoTime() - start) / 1e9;
                int done = step - firstStep;
                double eta = elapsed / done * (config.steps() - step);
                listener.progress(new TrainingProgress(step, config.steps(), loss, lr, gradNorm, tokens / elapsed,
                        budget.limited() ? Math.max(0, Math.min(eta, budget.seconds() - elapsed)) : eta, elapsed));
                if (config.checkpointEvery() > 0 && step % config.checkpointEvery() == 0) {
                    Path saved = saveCheckpoint(loss);
                    checkpoints.add(saved);
                    listener.checkpoint(step, saved, loss);
                }
            }
        } finally {
            params.values().forEach(p -> p.setRequiresGradient(false));
        }
        HfCheckpointWriter.save(model, tokenizer, outputDir);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new TrainingResult(outputDir, step, loss, checkpoints, losses, seconds, tokens / seconds, tokens);
    }

    /**
     * Unscales the gradients into float32, clips them by global norm and takes the AdamW step on
     * the (master) weights; in fp16, skips the step when a gradient overflowed. Returns the global
     * gradient norm before clipping (infinite for a skipped step).
     */
    private double update(Map<String, NDArray> params, double lr, double scale, int next) {
        try (NDManager scope = manager.newSubManager()) {
            Map<String, NDArray> grads = GradMode.disabled(() -> unscaledGradients(params, scale, scope));
            double norm = GradMode.disabled(() -> globalNorm(grads));
            if (mixed != null && !Double.isFinite(norm)) {
                if (!mixed.scaler().overflow()) {
                    throw new ai.djl.TrainingDivergedException("fp16 gradients overflow at every loss scale (step "
                            + next + "); lower learning_rate or train in fp32");
                }
                return norm; // skipped: the weights and the optimizer stay as they were
            }
            if (!Double.isFinite(norm)) {
                throw new ai.djl.TrainingDivergedException("gradient norm is " + norm + " at step " + next
                        + "; lower learning_rate or raise warmup_steps");
            }
            if (config.gradClip() > 0 && norm > config.gradClip()) {
                float factor = (float) (config.gradClip() / (norm + 1e-6));
                GradMode.disabled(() -> grads.values().forEach(g -> g.muli(factor)));
            }
            optimizer.step(lr, grads);
            if (mixed != null) {
                mixed.refresh();
                mixed.scaler().clean();
            }
            return norm;
        }
    }

    /** Writes a resumable checkpoint for the current step. */
    public Path saveCheckpoint(double loss) throws IOException {
        Path dir = TrainingCheckpoint.directory(outputDir, step);
        TrainingCheckpoint.save(dir, model, tokenizer, optimizer,
                new TrainingCheckpoint.State(step, rng.state(), data.position(), loss, optimizer.steps(),
                        lossScaler().map(LossScaler::saved), Optional.of(runConfig)));
        return dir;
    }

    /**
     * The objective's loss, and backward of {@code loss * scale / accumulation} (gradients
     * accumulate); returns the unscaled loss.
     */
    private double backward(TrainBatch batch, double scale) {
        try (NDManager scope = manager.newSubManager(computeDevice);
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray loss = objective.loss(batch, rng, scope); // () float32
            collector.backward(Scalars.mul(loss, (float) (scale / config.gradAccumulation())));
            return loss.getFloat();
        }
    }

    /** Each parameter's gradient in float32 divided by {@code scale}, in {@code scope}. */
    private static Map<String, NDArray> unscaledGradients(Map<String, NDArray> params, double scale, NDManager scope) {
        Map<String, NDArray> grads = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray g = e.getValue().getGradient(); // a handle on the parameter's gradient
            g.attach(scope);
            NDArray g32 = g.toType(DataType.FLOAT32, false); // (shape of the parameter); g itself in fp32
            if (scale != 1) {
                g32.muli((float) (1 / scale));
            }
            grads.put(e.getKey(), g32);
        }
        return grads;
    }

    private static double globalNorm(Map<String, NDArray> grads) {
        double sumSquares = 0;
        for (NDArray g : grads.values()) {
            try (NDArray sq = g.square(); NDArray sum = sq.sum()) {
                sumSquares += sum.getFloat();
            }
        }
        return Math.sqrt(sumSquares);
    }

    private static void zeroGradients(Map<String, NDArray> params) {
        GradMode.disabled(() -> {
            for (NDArray p : params.values()) {
                try (NDArray g = p.getGradient()) {
                    g.muli(0);
                }
            }
        });
    }

    private static long realTokens(TrainBatch batch) {
        long n = 0;
        for (long[] row : batch.attention()) {
            for (long a : row) {
                n += a;
            }
        }
        return n;
    }

    @Override
    public void close() {
        if (mixed != null) {
            mixed.close();
        }
        manager.close();
    }
}
