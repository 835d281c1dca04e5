package dev.unmask.diffusion.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.unmask.diffusion.checkpoint.HfCheckpointWriter;
import dev.unmask.diffusion.model.GradMode;
import dev.unmask.diffusion.model.MaskedLanguageModel;
import dev.unmask.diffusion.model.MaskedLmLoss;
import dev.unmask.diffusion.model.Scalars;
import dev.unmask.diffusion.model.ParameterSpec;
import dev.unmask.diffusion.noise.MaskedBatch;
import dev.unmask.diffusion.noise.Masker;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import dev.unmask.diffusion.util.Rng;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Trains a masked LM with the diffusion objective: each step masks its batch at ratios from the
 * noise schedule, computes the LM head only at masked positions, backpropagates, clips the
 * global gradient norm, and takes an AdamW step. Checkpoints carry optimizer, RNG and data state,
 * so a resumed run produces exactly the losses of an unbroken one.
 */
public final class Trainer implements AutoCloseable {
    private final MaskedLanguageModel model;
    private final TextTokenizer tokenizer;
    private final TrainConfig config;
    private final BatchSource data;
    private final Path outputDir;
    private final Masker masker;
    private final AdamW optimizer;
    private final NDManager manager;
    private Rng rng;
    private int step;

    public Trainer(MaskedLanguageModel model, TextTokenizer tokenizer, TrainConfig config, BatchSource data,
            Path outputDir) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.config = config;
        this.data = data;
        this.outputDir = outputDir;
        this.masker = new Masker(config.noise(), tokenizer.specials(), config.prefixLen(), config.randomPrefix());
        this.manager = model.manager().newSubManager();
        Set<String> decayed = model.layout().specs().values().stream().filter(ParameterSpec::decays)
                .map(ParameterSpec::name).collect(Collectors.toSet());
        this.optimizer = new AdamW(model.parameters(), decayed, config.beta1(), config.beta2(), config.adamEps(),
                config.weightDecay(), manager);
        this.rng = new Rng(config.seed());
    }

    /** Continues from a checkpoint written by a run of the same config: optimizer, RNG, data position, step. */
    public void resumeFrom(Path checkpointDir) throws IOException {
        TrainingCheckpoint.State state = TrainingCheckpoint.readState(checkpointDir);
        if (state.step() > config.steps()) {
            throw new IllegalArgumentException("checkpoint is at step " + state.step() + ", past steps=" + config.steps());
        }
        TrainingCheckpoint.restoreOptimizer(checkpointDir, optimizer, state.optimizerSteps(), manager);
        rng = new Rng(state.rngState());
        data.restore(state.dataPosition());
        step = state.step();
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
        Map<String, NDArray> params = model.parameters();
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
                if (cancelled.getAsBoolean()) {
                    throw new CancellationException("training cancelled at step " + step);
                }
                int next = step + 1;
                double lr = schedule.lr(next);
                loss = 0;
                for (int micro = 0; micro < config.gradAccumulation(); micro++) {
                    TrainBatch batch = data.next();
                    tokens += realTokens(batch);
                    loss += backward(masker.mask(batch.ids(), batch.attention(), batch.promptLengths(), rng))
                            / config.gradAccumulation();
                }
                if (!Double.isFinite(loss)) {
                    throw new ai.djl.TrainingDivergedException("loss is " + loss + " at step " + next
                            + "; lower learning_rate or raise warmup_steps");
                }
                double gradNorm = clipGradients(params);
                optimizer.step(lr);
                zeroGradients(params);
                step = next;
                losses.add(loss);
                double elapsed = (System.nanoTime() - start) / 1e9;
                int done = step - firstStep;
                listener.progress(new TrainingProgress(step, config.steps(), loss, lr, gradNorm, tokens / elapsed,
                        elapsed / done * (config.steps() - step)));
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
        return new TrainingResult(outputDir, step, loss, checkpoints, losses, seconds, tokens / seconds);
    }

    /** Writes a resumable checkpoint for the current step. */
    public Path saveCheckpoint(double loss) throws IOException {
        Path dir = TrainingCheckpoint.directory(outputDir, step);
        TrainingCheckpoint.save(dir, model, tokenizer, optimizer,
                new TrainingCheckpoint.State(step, rng.state(), data.position(), loss, optimizer.steps()));
        return dir;
    }

    /** Forward at masked positions only, loss, backward (gradients accumulate); returns the loss. */
    private double backward(MaskedBatch batch) {
        try (NDManager scope = manager.newSubManager(model.device());
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray ids = scope.create(batch.inputIds()); // (B, L)
            NDArray attention = scope.create(batch.attention()); // (B, L)
            NDArray logits = model.logitsAt(ids, attention, scope.create(batch.maskedPositions())); // (M, V)
            NDArray loss = MaskedLmLoss.weightedCrossEntropy(logits, scope.create(batch.targets()),
                    scope.create(batch.weights()), batch.normalizer()); // ()
            collector.backward(Scalars.div(loss, config.gradAccumulation()));
            return loss.getFloat();
        }
    }

    /** Scales gradients so their global L2 norm is at most grad_clip; returns the norm before. */
    private double clipGradients(Map<String, NDArray> params) {
        return GradMode.disabled(() -> {
            double sumSquares = 0;
            for (NDArray p : params.values()) {
                try (NDManager scope = manager.newSubManager()) {
                    NDArray g = p.getGradient();
                    g.attach(scope); // g and everything computed from it are freed with scope
                    sumSquares += g.toType(DataType.FLOAT32, false).square().sum().getFloat();
                }
            }
            double norm = Math.sqrt(sumSquares);
            if (config.gradClip() > 0 && norm > config.gradClip()) {
                float scale = (float) (config.gradClip() / (norm + 1e-6));
                for (NDArray p : params.values()) {
                    try (NDArray g = p.getGradient()) {
                        g.muli(scale);
                    }
                }
            }
            return norm;
        });
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
        manager.close();
    }
}
