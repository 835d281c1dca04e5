package dev.unmask.diffusion.compare;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.unmask.corpus.CorpusFormat;
import dev.unmask.corpus.CorpusReader;
import dev.unmask.corpus.Document;
import dev.unmask.diffusion.data.DataConfig;
import dev.unmask.diffusion.data.Packing;
import dev.unmask.diffusion.data.TokenizedCorpus;
import dev.unmask.diffusion.model.GradMode;
import dev.unmask.diffusion.run.CausalTextGenerator;
import dev.unmask.diffusion.run.GeneratedText;
import dev.unmask.diffusion.run.ModelSource;
import dev.unmask.diffusion.run.PromptGenerator;
import dev.unmask.diffusion.run.Resume;
import dev.unmask.diffusion.run.TextGenerator;
import dev.unmask.diffusion.run.TrainRunResult;
import dev.unmask.diffusion.run.TrainSpec;
import dev.unmask.diffusion.run.TrainingRun;
import dev.unmask.diffusion.sample.CausalGenerator;
import dev.unmask.diffusion.sample.GenerationConfig;
import dev.unmask.diffusion.sample.PromptRow;
import dev.unmask.diffusion.tokenizer.BpeTrainer;
import dev.unmask.diffusion.tokenizer.BpeTrainerConfig;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import dev.unmask.diffusion.tokenizer.TrainedTokenizer;
import dev.unmask.diffusion.train.TimeBudget;
import dev.unmask.diffusion.train.TrainConfig;
import dev.unmask.diffusion.train.TrainingListener;
import dev.unmask.diffusion.util.LoadAverage;
import dev.unmask.jobspec.TrainParams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Trains a diffusion encoder and a GPT-2 of about the same size on the same data for the same
 * wall-clock budget, one after the other, then measures both the same way.
 *
 * <p>The same tokenizer: one byte-level BPE is trained on the corpus, in RoBERTa's layout
 * ({@code <s> <pad> </s> <unk> <mask>} as ids 0-4), and both models use that very folder. The
 * encoder needs the mask and padding; GPT-2 uses {@code <s>} as its start and {@code </s>} as its
 * end of text and never sees {@code <mask>} (one unused row of its embedding). So both models get
 * identical token rows: the same split, the same packing, the same batches in the same order (one
 * seed), which each run's {@link dev.unmask.diffusion.run.DataTrace} shows, and the held-out
 * tokens that GPT-2's exact perplexity and the encoder's ELBO bound score are the same tokens.
 */
public final class Comparison {
    public static final String TOKENIZER_DIR = "tokenizer";

    private final CompareSpec spec;
    private final Consumer<String> log;

    /** @param log told of each phase, every line led by the seconds since construction */
    public Comparison(CompareSpec spec, Consumer<String> log) {
        long created = System.nanoTime();
        this.spec = spec;
        this.log = m -> log.accept(String.format(Locale.ROOT, "%7.1f s  %s", (System.nanoTime() - created) / 1e9, m));
    }

    /** What {@link #run} hands back: both sides, the prompts, and the load average around the run. */
    public record Outcome(CompareSpec spec, List<String> prompts, ModelResult diffusion, ModelResult gpt2,
            int commonBatches, boolean sameData, double loadBefore, double loadAfter, double seconds) {}

    public Outcome run() throws IOException {
        long start = System.nanoTime();
        double loadBefore = LoadAverage.oneMinute();
        Files.createDirectories(spec.outputDir());
        Path tokenizerDir = spec.outputDir().resolve(TOKENIZER_DIR);
        trainTokenizer(tokenizerDir);
        Trained diffusion = train("diffusion", spec.diffusionPreset(), tokenizerDir);
        Trained gpt2 = train("gpt2", spec.gpt2Preset(), tokenizerDir);
        List<String> prompts;
        try (TextTokenizer tokenizer = TextTokenizer.load(tokenizerDir)) {
            TokenizedCorpus corpus = TokenizedCorpus.build(spec.corpus(), CorpusFormat.AUTO, tokenizer, dataConfig());
            prompts = Prompts.fromHeldOut(corpus.heldOut(), tokenizer, spec.samples(), spec.promptTokens() - 1);
        }
        log.accept(prompts.size() + " prompts of " + (spec.promptTokens() - 1) + " held-out tokens");
        ModelResult d;
        ModelResult g;
        try (CausalTextGenerator ar = (CausalTextGenerator) PromptGenerator.load(gpt2.folder(), spec.device(),
                DataType.FLOAT32)) {
            try (TextGenerator encoder = (TextGenerator) PromptGenerator.load(diffusion.folder(), spec.device(),
                    DataType.FLOAT32)) {
                log.accept("[diffusion] generation speed and " + prompts.size() + " samples");
                GenerationConfig config = diffusionConfig(spec.diffusionSteps().get(1));
                d = measure(diffusion, encoder, encoder.model().parameterCount(), diffusionLatency(encoder, prompts),
                        prompts, (part, seeds) -> encoder.generate(part, seeds, spec.newTokens(), config, f -> {},
                                () -> false), ar);
            }
            log.accept("[gpt2] generation speed and " + prompts.size() + " samples");
            // GPT-2's samples run through end-of-text to the full length, as diffusion fills its whole canvas
            g = measure(gpt2, ar, ar.model().parameterCount(), causalLatency(ar, prompts), prompts,
                    (part, seeds) -> ar.generateFullLength(part, seeds, spec.newTokens(), causalConfig()), ar);
        }
        log.accept("done");
        int common = diffusion.run().data().commonBatches(gpt2.run().data());
        boolean same = diffusion.run().data().sameDataAs(gpt2.run().data());
        return new Outcome(spec, prompts, d, g, common, same, loadBefore, LoadAverage.oneMinute(),
                (System.nanoTime() - start) / 1e9);
    }

    /** A trained side before it is measured. */
    private record Trained(String name, String preset, Path folder, TrainRunResult run, List<LossPoint> curve,
            double[] load) {}

    private Trained train(String name, String preset, Path tokenizerDir) throws IOException {
        Path out = spec.outputDir().resolve(name);
        TrainSpec trainSpec = new TrainSpec(ModelSource.parse(ModelSource.PRESET_PREFIX + preset), spec.corpus(),
                CorpusFormat.AUTO, out, tokenizerDir, spec.vocabSize(), spec.seqLen(), Packing.PACK, spec.heldOut(),
                trainConfig(), spec.device(), spec.evalSamples());
        List<LossPoint> curve = new ArrayList<>();
        String tag = "[" + name + "] ";
        log.accept(tag + "training preset:" + preset + " for " + spec.minutes() + " min");
        TrainingListener listener = p -> {
            curve.add(new LossPoint(p.step(), p.elapsedSeconds(), p.loss()));
            if (p.step() % 50 == 0) {
                log.accept(String.format(Locale.ROOT, "%sstep %d  loss %.4f  %.0f s  %.0f tok/s  load %.1f", tag,
                        p.step(), p.loss(), p.elapsedSeconds(), p.tokensPerSecond(), LoadAverage.oneMinute()));
            }
        };
        double loadBefore = LoadAverage.oneMinute();
        TrainRunResult result = TrainingRun.run(trainSpec, Resume.SAME_CONFIG, m -> log.accept(tag + m), listener,
                () -> false, TimeBudget.ofMinutes(spec.minutes()));
        return new Trained(name, preset, out, result, curve, new double[] {loadBefore, LoadAverage.oneMinute()});
    }

    /**
     * The trainer's settings for a budgeted run: the step count at its ceiling (the budget ends
     * the run), a linear warm-up then a constant rate, the final model only.
     */
    TrainConfig trainConfig() {
        Map<String, Object> given = new LinkedHashMap<>();
        given.put(TrainParams.STEPS.path(), TrainParams.STEPS.max().longValue());
        given.put(TrainParams.BATCH_SIZE.path(), (long) spec.batchSize());
        given.put(TrainParams.SEQ_LEN.path(), (long) spec.seqLen());
        given.put(TrainParams.LEARNING_RATE.path(), spec.learningRate());
        given.put(TrainParams.WARMUP_STEPS.path(), (long) spec.warmupSteps());
        given.put(TrainParams.LR_DECAY.path(), "constant");
        given.put(TrainParams.CHECKPOINT_EVERY.path(), 0L);
        given.put(TrainParams.SEED.path(), spec.seed());
        given.put(TrainParams.VOCAB_SIZE.path(), (long) spec.vocabSize());
        given.put(TrainParams.HELD_OUT.path(), spec.heldOut());
        given.put(TrainParams.EVAL_SAMPLES.path(), (long) spec.evalSamples());
        return TrainConfig.from(TrainParams.SET.require(TrainParams.SET.resolve(given)), false);
    }

    /** The split and packing {@link TrainingRun} uses for these settings. */
    private DataConfig dataConfig() {
        return new DataConfig(spec.seqLen(), Packing.PACK, spec.heldOut(), spec.seed(), spec.heldOut() > 0 ? 1 : 0);
    }

    private void trainTokenizer(Path dir) throws IOException {
        List<String> texts = new ArrayList<>();
        for (Path file : spec.corpus()) {
            for (Document d : CorpusReader.readAll(file, CorpusFormat.AUTO.resolve(file))) {
                if (d.hasPrompt()) {
                    texts.add(d.prompt());
                }
                texts.add(d.text());
            }
        }
        TrainedTokenizer tokenizer = BpeTrainer.trainOnTexts(texts,
                BpeTrainerConfig.of(spec.vocabSize()).withModelMaxLength(spec.seqLen()));
        tokenizer.save(dir);
        log.accept("tokenizer: byte-level BPE (RoBERTa layout, shared by both models), " + tokenizer.vocabSize()
                + " tokens");
    }

    /** Sampling shared by both models: temperature 1, top-k 50, top-p 0.95. */
    static GenerationConfig diffusionConfig(int steps) {
        GenerationConfig d = GenerationConfig.defaults();
        return new GenerationConfig(d.strategy(), steps, d.temperature(), d.topK(), d.topP(), d.threshold(),
                d.blockSize(), d.suppressSpecialTokens());
    }

    static GenerationConfig causalConfig() {
        GenerationConfig d = GenerationConfig.defaults();
        return GenerationConfig.sampling(d.temperature(), d.topK(), d.topP());
    }

    /** Diffusion at each step count and batch size; every canvas always writes all its new tokens. */
    private List<Latency> diffusionLatency(TextGenerator encoder, List<String> prompts) {
        List<Latency> out = new ArrayList<>();
        for (int steps : spec.diffusionSteps()) {
            GenerationConfig config = diffusionConfig(steps);
            for (int batch : CompareSpec.LATENCY_BATCHES) {
                List<String> part = cycle(prompts, batch);
                long[] seeds = seeds(batch);
                out.add(Latency.measure(batch, spec.newTokens(), steps, spec.latencyRounds(),
                        () -> encoder.generate(part, seeds, spec.newTokens(), config, f -> {}, () -> false)));
            }
        }
        return out;
    }

    /**
     * GPT-2 with its KV cache at each batch size; end-of-text does not stop a row here, so every
     * call writes exactly the tokens diffusion writes.
     */
    private List<Latency> causalLatency(CausalTextGenerator ar, List<String> prompts) {
        CausalGenerator fixedLength = ar.fullLengthGenerator();
        List<Latency> out = new ArrayList<>();
        for (int batch : CompareSpec.LATENCY_BATCHES) {
            List<PromptRow> rows = new ArrayList<>();
            List<String> part = cycle(prompts, batch);
            for (int i = 0; i < batch; i++) {
                rows.add(new PromptRow(ar.promptIds(part.get(i)), spec.newTokens(), spec.seed() + i));
            }
            out.add(Latency.measure(batch, spec.newTokens(), spec.newTokens(), spec.latencyRounds(), () -> {
                try (NDManager scope = ar.model().manager().newSubManager()) {
                    GradMode.disabled(() -> fixedLength.generate(scope, rows, causalConfig(), f -> {}, () -> false));
                }
            }));
        }
        return out;
    }

    /** Samples for every prompt (in batches of the larger latency batch), their statistics and generative perplexity. */
    /** Writes one batch of samples: the prompts and their seeds in, the texts out. */
    private interface Sampler {
        List<GeneratedText> sample(List<String> prompts, long[] seeds);
    }

    private ModelResult measure(Trained trained, PromptGenerator generator, long parameters, List<Latency> latency,
            List<String> prompts, Sampler sampler, CausalTextGenerator scorer) {
        int batch = CompareSpec.LATENCY_BATCHES.get(CompareSpec.LATENCY_BATCHES.size() - 1);
        List<GeneratedText> samples = new ArrayList<>();
        for (int start = 0; start < prompts.size(); start += batch) {
            List<String> part = prompts.subList(start, Math.min(prompts.size(), start + batch));
            long[] seeds = new long[part.size()];
            for (int i = 0; i < seeds.length; i++) {
                seeds[i] = spec.seed() + start + i;
            }
            samples.addAll(sampler.sample(part, seeds));
        }
        TextTokenizer tokenizer = generator.tokenizer();
        List<long[]> continuations = new ArrayList<>();
        List<GenerativePerplexity.Sample> scored = new ArrayList<>();
        for (GeneratedText s : samples) {
            long[] ids = tokenizer.encodePlain(s.text());
            continuations.add(ids);
            scored.add(new GenerativePerplexity.Sample(scorer.promptIds(s.prompt()), ids));
        }
        return new ModelResult(trained.name(), trained.preset(), trained.folder(), parameters, trained.run(),
                trained.curve(), trained.load(), latency, samples, SampleStats.of(continuations),
                GenerativePerplexity.score(scorer.model(), scorer.tokenizer(), scored, batch));
    }

    private static List<String> cycle(List<String> prompts, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(prompts.get(i % prompts.size()));
        }
        return out;
    }

    private long[] seeds(int n) {
        long[] seeds = new long[n];
        Arrays.setAll(seeds, i -> spec.seed() + i);
        return seeds;
    }
}
