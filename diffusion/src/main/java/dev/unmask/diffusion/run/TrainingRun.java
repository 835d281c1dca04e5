package dev.unmask.diffusion.run;

import ai.djl.ndarray.NDManager;
import dev.unmask.diffusion.checkpoint.HfCheckpointReader;
import dev.unmask.diffusion.checkpoint.SentenceTransformersLayout;
import dev.unmask.corpus.CorpusFormat;
import dev.unmask.corpus.CorpusReader;
import dev.unmask.diffusion.data.DataConfig;
import dev.unmask.corpus.Document;
import dev.unmask.diffusion.data.TokenizedCorpus;
import dev.unmask.diffusion.eval.HeldOutEval;
import dev.unmask.diffusion.model.ModelFamily;
import dev.unmask.diffusion.model.Presets;
import dev.unmask.diffusion.model.TrainableModel;
import dev.unmask.diffusion.tokenizer.BpeTrainer;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import dev.unmask.diffusion.tokenizer.TrainedTokenizer;
import dev.unmask.diffusion.train.Precision;
import dev.unmask.diffusion.train.RunConfig;
import dev.unmask.diffusion.train.TimeBudget;
import dev.unmask.diffusion.train.Trainer;
import dev.unmask.diffusion.train.TrainingCheckpoint;
import dev.unmask.diffusion.train.TrainingListener;
import dev.unmask.diffusion.train.TrainingProgress;
import dev.unmask.diffusion.train.TrainingResult;
import dev.unmask.diffusion.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A whole training run, the way the command line and the job service start one: tokenizer (the
 * model's, a given one, or a byte-level BPE trained on the corpus), corpus, model (a preset from
 * scratch or a checkpoint to fine-tune), training (resuming from the newest checkpoint in the
 * output folder if there is one), then held-out evaluation. A masked LM trains as a diffusion
 * model, GPT-2 by next-token prediction ({@link FamilyTraining}); everything else is shared.
 */
public final class TrainingRun {
    public static final String TOKENIZER_DIR = "tokenizer";
    public static final String EVAL_FILE = "eval.json";

    private TrainingRun() {}

    /**
     * Runs the whole thing.
     *
     * @param listener told of every step (a lambda taking {@link TrainingProgress}) and every checkpoint
     * @param cancelled checked before every step
     */
    public static TrainRunResult run(TrainSpec spec, Consumer<String> log, TrainingListener listener,
            BooleanSupplier cancelled) throws IOException {
        return run(spec, Resume.SAME_CONFIG, log, listener, cancelled);
    }

    /**
     * Runs the whole thing; a checkpoint in the output folder is resumed if its recorded
     * configuration and this run's agree as {@code resume} requires.
     *
     * @throws dev.unmask.diffusion.train.ConfigChangeRefusedException when they do not
     */
    public static TrainRunResult run(TrainSpec spec, Resume resume, Consumer<String> log, TrainingListener listener,
            BooleanSupplier cancelled) throws IOException {
        return run(spec, resume, log, listener, cancelled, TimeBudget.NONE);
    }

    /**
     * Runs the whole thing, training until the spec's last step or until {@code budget} is spent
     * (then the final model is saved and evaluated as after the last step; see {@link TimeBudget}
     * for the learning-rate schedule a budget calls for).
     */
    public static TrainRunResult run(TrainSpec spec, Resume resume, Consumer<String> log, TrainingListener listener,
            BooleanSupplier cancelled, TimeBudget budget) throws IOException {
        if (spec.train().precision() == Precision.FP16 && !spec.device().isGpu()) {
            throw new IllegalArgumentException("precision fp16 needs a GPU (device is " + spec.device()
                    + "); on a CPU train in fp32, which is faster there");
        }
        Files.createDirectories(spec.outputDir());
        Optional<Path> checkpoint = latestCheckpoint(spec.outputDir());
        RunConfig runConfig = spec.runConfig();
        if (checkpoint.isPresent()) {
            resume.check(checkpoint.get(), runConfig, log);
        }
        FamilyTraining<?> family = family(spec, checkpoint);
        boolean trainedTokenizer = false;
        Path tokenizerDir;
        if (checkpoint.isPresent()) {
            tokenizerDir = checkpoint.get();
        } else if (!spec.model().fromScratch()) {
            tokenizerDir = SentenceTransformersLayout.transformerDir(spec.model().directory());
        } else if (spec.tokenizerDir() != null) {
            tokenizerDir = spec.tokenizerDir();
        } else {
            tokenizerDir = spec.outputDir().resolve(TOKENIZER_DIR);
            trainTokenizer(spec, family, tokenizerDir, log);
            trainedTokenizer = true;
        }
        try (TextTokenizer tokenizer = TextTokenizer.load(tokenizerDir);
                NDManager manager = NDManager.newBaseManager(spec.device())) {
            DataConfig dataConfig = new DataConfig(spec.seqLen(), spec.packing(), spec.heldOutFraction(),
                    spec.train().seed(), spec.heldOutFraction() > 0 ? 1 : 0);
            TokenizedCorpus corpus = TokenizedCorpus.build(spec.corpus(), spec.format(), tokenizer, dataConfig);
            log.accept(String.format("corpus: %d documents, %d tokens -> %d training and %d held-out sequences of %d",
                    corpus.documents(), corpus.tokens(), corpus.train().size(), corpus.heldOut().size(), spec.seqLen()));
            Trained trained = train(family, spec, checkpoint, runConfig, tokenizer, corpus, manager, log, listener,
                    cancelled, budget);
            DataTrace data = new DataTrace(DataTrace.digest(corpus.train()), DataTrace.digest(corpus.heldOut()),
                    trained.batchHashes());
            return new TrainRunResult(trained.training(), trained.eval(), corpus.documents(), corpus.tokens(),
                    corpus.train().size(), corpus.heldOut().size(), trainedTokenizer, trained.resumedFrom(), data);
        }
    }

    /** What {@link #train} hands back. */
    private record Trained(TrainingResult training, HeldOutEval eval, int resumedFrom, List<Long> batchHashes) {}

    /** Model, trainer (resumed from the checkpoint if any), then the held-out evaluation, for one family. */
    private static <M extends TrainableModel<M>> Trained train(FamilyTraining<M> family, TrainSpec spec,
            Optional<Path> checkpoint, RunConfig runConfig, TextTokenizer tokenizer, TokenizedCorpus corpus,
            NDManager manager, Consumer<String> log, TrainingListener listener, BooleanSupplier cancelled,
            TimeBudget budget) throws IOException {
        long seed = spec.train().seed();
        M loaded;
        if (checkpoint.isPresent()) {
            loaded = family.resume(checkpoint.get(), manager, spec.device());
        } else if (!spec.model().fromScratch()) {
            loaded = family.fineTune(spec.model().directory(), manager, spec.device(), seed, log);
        } else {
            loaded = family.fromScratch(spec.model().preset(), tokenizer, manager, spec.device(), seed);
        }
        try (M model = loaded) {
            family.checkSizes(spec.seqLen(), model, tokenizer);
            log.accept(String.format("model: %s, %,d parameters, %s on %s", checkpoint.map(Path::toString)
                    .orElse(spec.model().toString()), model.parameterCount(),
                    model.dataType().toString().toLowerCase(java.util.Locale.ROOT), model.device()));
            TrainingResult training;
            int resumedFrom = 0;
            TracedBatches batches = new TracedBatches(new CorpusBatches(corpus.train(), spec.train().batchSize(), seed));
            try (Trainer trainer = new Trainer(model, family.objective(tokenizer, spec.train()), tokenizer,
                    spec.train(), batches, spec.outputDir(), runConfig)) {
                if (checkpoint.isPresent()) {
                    trainer.resumeFrom(checkpoint.get());
                    resumedFrom = trainer.step();
                    log.accept("resuming from " + checkpoint.get() + " at step " + resumedFrom);
                }
                training = trainer.run(listener, cancelled, budget);
            }
            HeldOutEval eval = null;
            if (spec.evalSamples() > 0 && !corpus.heldOut().isEmpty()) {
                log.accept("evaluating on " + corpus.heldOut().size() + " held-out sequences");
                eval = family.evaluate(model, tokenizer, corpus, spec);
                Json.write(spec.outputDir().resolve(EVAL_FILE), eval);
            }
            return new Trained(training, eval, resumedFrom, batches.hashes());
        }
    }

    /**
     * The family a run trains: its checkpoint's, else its folder's ({@code model_type}), else its
     * preset's.
     */
    private static FamilyTraining<?> family(TrainSpec spec, Optional<Path> checkpoint) throws IOException {
        ModelFamily family = checkpoint.isPresent() ? HfCheckpointReader.family(checkpoint.get())
                : spec.model().fromScratch() ? Presets.family(spec.model().preset())
                : HfCheckpointReader.family(spec.model().directory());
        return family == ModelFamily.CAUSAL_LM ? new Gpt2Training() : new DiffusionTraining();
    }

    /** The newest complete {@code checkpoint-NNNNNN} folder, if any. */
    public static Optional<Path> latestCheckpoint(Path outputDir) throws IOException {
        if (!Files.isDirectory(outputDir)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(outputDir)) {
            return dirs.filter(d -> d.getFileName().toString().matches("checkpoint-\\d+"))
                    .filter(d -> Files.isRegularFile(d.resolve(TrainingCheckpoint.STATE)))
                    .max(Comparator.comparing(d -> d.getFileName().toString()));
        }
    }

    private static void trainTokenizer(TrainSpec spec, FamilyTraining<?> family, Path dir, Consumer<String> log)
            throws IOException {
        List<String> texts = new ArrayList<>();
        for (Path file : spec.corpus()) {
            CorpusFormat format = spec.format().resolve(file);
            for (Document d : CorpusReader.readAll(file, format)) {
                if (d.hasPrompt()) {
                    texts.add(d.prompt());
                }
                texts.add(d.text());
            }
        }
        TrainedTokenizer tokenizer = BpeTrainer.trainOnTexts(texts,
                family.tokenizer(spec.vocabSize()).withModelMaxLength(spec.seqLen()));
        tokenizer.save(dir);
        log.accept("tokenizer: byte-level BPE, " + tokenizer.vocabSize() + " tokens, trained in "
                + String.format("%.1f s", tokenizer.stats().seconds()));
    }

    /** Refuses rows longer than the model's positions, or a tokenizer whose ids the model's vocabulary lacks. */
    static void checkSizes(int seqLen, int positions, TextTokenizer tokenizer, int modelVocab) {
        if (seqLen > positions) {
            throw new IllegalArgumentException("seq_len " + seqLen + " exceeds the model's " + positions + " positions");
        }
        if (tokenizer.vocabSize() > modelVocab) {
            throw new IllegalArgumentException("the tokenizer has " + tokenizer.vocabSize()
                    + " tokens but the model's vocabulary is " + modelVocab);
        }
    }
}
