package dev.unmask.diffusion.run;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.unmask.diffusion.checkpoint.HfCheckpointReader;
import dev.unmask.diffusion.checkpoint.LoadedCheckpoint;
import dev.unmask.diffusion.checkpoint.SentenceTransformersLayout;
import dev.unmask.corpus.CorpusFormat;
import dev.unmask.corpus.CorpusReader;
import dev.unmask.diffusion.data.DataConfig;
import dev.unmask.corpus.Document;
import dev.unmask.diffusion.data.TokenizedCorpus;
import dev.unmask.diffusion.eval.EvalReport;
import dev.unmask.diffusion.eval.Evaluator;
import dev.unmask.diffusion.model.EncoderConfig;
import dev.unmask.diffusion.model.MaskedLanguageModel;
import dev.unmask.diffusion.model.ModelInitializer;
import dev.unmask.diffusion.model.Presets;
import dev.unmask.diffusion.tokenizer.BpeTrainer;
import dev.unmask.diffusion.tokenizer.BpeTrainerConfig;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import dev.unmask.diffusion.tokenizer.TrainedTokenizer;
import dev.unmask.diffusion.train.Precision;
import dev.unmask.diffusion.train.RunConfig;
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
 * output folder if there is one), then held-out evaluation.
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
            trainTokenizer(spec, tokenizerDir, log);
            trainedTokenizer = true;
        }
        try (TextTokenizer tokenizer = TextTokenizer.load(tokenizerDir);
                NDManager manager = NDManager.newBaseManager(spec.device())) {
            DataConfig dataConfig = new DataConfig(spec.seqLen(), spec.packing(), spec.heldOutFraction(),
                    spec.train().seed(), spec.heldOutFraction() > 0 ? 1 : 0);
            TokenizedCorpus corpus = TokenizedCorpus.build(spec.corpus(), spec.format(), tokenizer, dataConfig);
            log.accept(String.format("corpus: %d documents, %d tokens -> %d training and %d held-out sequences of %d",
                    corpus.documents(), corpus.tokens(), corpus.train().size(), corpus.heldOut().size(), spec.seqLen()));
            try (MaskedLanguageModel model = loadModel(spec, checkpoint, tokenizer, manager, log)) {
                checkSizes(spec, model, tokenizer);
                log.accept(String.format("model: %s, %,d parameters, %s on %s", checkpoint.map(Path::toString)
                        .orElse(spec.model().toString()), model.layout().parameterCount(),
                        model.dataType().toString().toLowerCase(java.util.Locale.ROOT), model.device()));
                TrainingResult training;
                int resumedFrom = 0;
                try (Trainer trainer = new Trainer(model, tokenizer, spec.train(),
                        new CorpusBatches(corpus.train(), spec.train().batchSize(), spec.train().seed()),
                        spec.outputDir(), runConfig)) {
                    if (checkpoint.isPresent()) {
                        trainer.resumeFrom(checkpoint.get());
                        resumedFrom = trainer.step();
                        log.accept("resuming from " + checkpoint.get() + " at step " + resumedFrom);
                    }
                    training = trainer.run(listener, cancelled);
                }
                EvalReport eval = null;
                if (spec.evalSamples() > 0 && !corpus.heldOut().isEmpty()) {
                    log.accept("evaluating on " + corpus.heldOut().size() + " held-out sequences");
                    eval = new Evaluator(model, tokenizer.specials(), corpus.tokenFrequencies())
                            .evaluate(CorpusBatches.inOrder(corpus.heldOut(), spec.train().batchSize()),
                                    spec.evalSamples(), spec.train().seed());
                    Json.write(spec.outputDir().resolve(EVAL_FILE), eval);
                }
                return new TrainRunResult(training, eval, corpus.documents(), corpus.tokens(), corpus.train().size(),
                        corpus.heldOut().size(), trainedTokenizer, resumedFrom);
            }
        }
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

    private static void trainTokenizer(TrainSpec spec, Path dir, Consumer<String> log) throws IOException {
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
                BpeTrainerConfig.of(spec.vocabSize()).withModelMaxLength(spec.seqLen()));
        tokenizer.save(dir);
        log.accept("tokenizer: byte-level BPE, " + tokenizer.vocabSize() + " tokens, trained in "
                + String.format("%.1f s", tokenizer.stats().seconds()));
    }

    private static MaskedLanguageModel loadModel(TrainSpec spec, Optional<Path> checkpoint, TextTokenizer tokenizer,
            NDManager manager, Consumer<String> log) throws IOException {
        if (checkpoint.isPresent()) {
            return HfCheckpointReader.load(checkpoint.get(), manager, spec.device(), DataType.FLOAT32);
        }
        if (!spec.model().fromScratch()) {
            LoadedCheckpoint loaded = HfCheckpointReader.loadForTraining(spec.model().directory(), manager,
                    spec.device(), DataType.FLOAT32, spec.train().seed());
            if (loaded.headless()) {
                log.accept("headless checkpoint " + spec.model().directory() + ": initialised fresh "
                        + String.join(", ", loaded.initialised()));
            }
            return loaded.model();
        }
        EncoderConfig config = Presets.roberta(spec.model().preset(), tokenizer.vocabSize(), tokenizer.specials());
        return ModelInitializer.initialize(config, manager, spec.device(), DataType.FLOAT32, spec.train().seed());
    }

    private static void checkSizes(TrainSpec spec, MaskedLanguageModel model, TextTokenizer tokenizer) {
        EncoderConfig c = model.config();
        if (spec.seqLen() > c.maxSequenceLength()) {
            throw new IllegalArgumentException("seq_len " + spec.seqLen() + " exceeds the model's "
                    + c.maxSequenceLength() + " positions");
        }
        if (tokenizer.vocabSize() > c.vocabSize()) {
            throw new IllegalArgumentException("the tokenizer has " + tokenizer.vocabSize()
                    + " tokens but the model's vocabulary is " + c.vocabSize());
        }
        tokenizer.specials().requireMask();
    }
}
