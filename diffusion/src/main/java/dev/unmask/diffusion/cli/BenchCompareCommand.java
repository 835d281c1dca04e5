package dev.unmask.diffusion.cli;

import ai.djl.ndarray.types.DataType;
import dev.unmask.diffusion.bench.CompareBenchmark;
import dev.unmask.diffusion.bench.ForwardCompare;
import dev.unmask.diffusion.bench.RatioSummary;
import dev.unmask.diffusion.bench.ReferenceProcess;
import dev.unmask.diffusion.bench.TrainBenchmark;
import dev.unmask.diffusion.bench.TrainCompare;
import dev.unmask.diffusion.model.Devices;
import dev.unmask.diffusion.model.EngineThreads;
import dev.unmask.diffusion.model.MklKernels;
import dev.unmask.diffusion.run.TextGenerator;
import dev.unmask.diffusion.sample.GenerationConfig;
import dev.unmask.diffusion.sample.Strategy;
import dev.unmask.diffusion.util.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./unmask bench compare}: one of Unmask's benchmarks against the plain-PyTorch reference, alternately. */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Unmask against the plain-PyTorch reference (torch_cpu_bench.py, shared/bench/README.md) on the"
                + " same shapes, alternating rounds; one JSON line per round and shape, then the medians of the ratios"
                + " (Unmask / the reference's best variant).",
            "  generate: tokens/s of a model folder both sides load, topk strategy (--model).",
            "  forward: a random-init preset's forward pass; tokens/s, GFLOP/s and each side's fraction of the best"
                + " matmul rate of the round (Unmask's, the reference's BLAS and oneDNN's).",
            "  train: full training steps of presets on random tokens; tokens/s and GFLOP/s as for forward.",
            "Needs /usr/bin/python3 with Debian's python3-torch and libopenblas0-openmp."})
final class BenchCompareCommand implements Callable<Integer> {
    @Option(names = "--workload", defaultValue = "generate",
            description = "generate, forward or train (default: ${DEFAULT-VALUE})") String workload;
    @Option(names = "--model", description = "generate: an HF masked-LM folder both sides load") Path model;
    @Option(names = "--batch", split = ",",
            description = "generate and forward: batch sizes, comma-separated (default: generate 1,8,32; forward 1,8)")
    List<Integer> batches;
    @Option(names = "--max-tokens", defaultValue = "64", description = "generate: masks per canvas (default: ${DEFAULT-VALUE})")
    int maxTokens;
    @Option(names = "--steps", defaultValue = "16", description = "generate: denoising steps (default: ${DEFAULT-VALUE})")
    int steps;
    @Option(names = "--prompt", defaultValue = "The jury said",
            description = "generate: Unmask's prompt; the reference draws as many random tokens (default: ${DEFAULT-VALUE})")
    String prompt;
    @Option(names = "--preset", split = ",",
            description = "forward: one preset (default base); train: presets, comma-separated (default tiny,small,base)")
    List<String> presets;
    @Option(names = "--vocab", description = "forward and train: vocabulary size (default: forward 50265, train 8000)")
    Integer vocab;
    @Option(names = "--seq", description = "forward and train: sequence length (default: forward 256, train 128)")
    Integer seq;
    @Option(names = "--batch-size", defaultValue = "16", description = "train: sequences per step (default: ${DEFAULT-VALUE})")
    int batchSize;
    @Option(names = "--train-steps", defaultValue = "8", description = "train: measured steps (default: ${DEFAULT-VALUE})")
    int trainSteps;
    @Option(names = "--warmup", defaultValue = "2",
            description = "forward and train: unmeasured calls or steps first (default: ${DEFAULT-VALUE})") int warmup;
    @Option(names = "--warmup-seconds", defaultValue = "10",
            description = "generate: Unmask's calls of every batch size, unmeasured, for this long before the first "
                    + "round, so its JIT has compiled the step (default: ${DEFAULT-VALUE})")
    double warmupSeconds;
    @Option(names = "--rounds", defaultValue = "2",
            description = "alternations: Unmask then the reference, this many times (default: ${DEFAULT-VALUE})")
    int rounds;
    @Option(names = "--inner-rounds", defaultValue = "3",
            description = "generate and forward: measured calls per shape on each side in each round, median taken "
                    + "(default: ${DEFAULT-VALUE})")
    int innerRounds;
    @Option(names = "--threads", defaultValue = "2",
            description = "intra-op threads of both sides (default: ${DEFAULT-VALUE}, the reference's)")
    int threads;
    @Option(names = "--reference", description = "folder of torch_cpu_bench.py (default: ../shared/bench beside the repository)")
    Path reference;
    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "the interpreter (default: ${DEFAULT-VALUE})")
    Path python;

    @Override
    public Integer call() throws Exception {
        ReferenceProcess ref = new ReferenceProcess(python,
                (reference != null ? reference : defaultReference()).resolve("torch_cpu_bench.py"));
        try {
            ref.require();
            EngineThreads.set(threads);
            System.out.printf("bench compare %s: %d threads, %s, reference %s%n", workload, EngineThreads.current(),
                    MklKernels.describe(), ref.script());
            return switch (workload) {
                case "generate" -> generate(ref);
                case "forward" -> forward(ref);
                case "train" -> train(ref);
                default -> {
                    System.err.println("bench compare: --workload " + workload + " is not one of generate, forward, train");
                    yield 2;
                }
            };
        } catch (ReferenceProcess.UnavailableException e) {
            System.err.println("bench compare: " + e.getMessage());
            return 2;
        }
    }

    private int generate(ReferenceProcess ref) throws Exception {
        if (model == null) {
            System.err.println("bench compare: --workload generate needs --model, an HF masked-LM folder");
            return 2;
        }
        List<Integer> sizes = batches != null ? batches : List.of(1, 8, 32);
        try (TextGenerator generator = TextGenerator.load(model, Devices.parse("cpu"), DataType.FLOAT32)) {
            int promptLength = generator.canvas(prompt, maxTokens, 0).length() - maxTokens;
            CompareBenchmark.Settings settings = new CompareBenchmark.Settings(model, sizes, maxTokens, steps, rounds,
                    innerRounds, prompt, promptLength, threads, ref.python(), ref.script(), warmupSeconds);
            GenerationConfig config = new GenerationConfig(Strategy.TOPK, steps, 1.0, 50, 0.95, 0.9, 0, true);
            System.out.printf("%s, prompt %d + %d tokens, %d steps%n", model, promptLength, maxTokens, steps);
            List<CompareBenchmark.Round> all = CompareBenchmark.run(generator, settings, config,
                    r -> System.out.println(Json.compact(r)));
            System.out.printf("%6s %7s %14s %16s %12s %14s%n", "batch", "rounds", "unmask tok/s", "reference tok/s",
                    "ratio", "ratio range");
            for (CompareBenchmark.Summary s : CompareBenchmark.summarise(all)) {
                System.out.printf("%6d %7d %14.1f %16.1f %12.2f %6.2f-%.2f%n", s.batch(), s.rounds(),
                        s.unmaskTokensPerSecond(), s.referenceTokensPerSecond(), s.medianRatio(), s.minRatio(),
                        s.maxRatio());
                System.out.println(Json.compact(s));
            }
        }
        return 0;
    }

    private int forward(ReferenceProcess ref) {
        String preset = presets == null ? "base" : presets.get(0);
        ForwardCompare.Settings s = new ForwardCompare.Settings(preset, vocab != null ? vocab : 50265,
                seq != null ? seq : 256, batches != null ? batches : List.of(1, 8), rounds, innerRounds, warmup, threads);
        System.out.printf("forward pass, preset %s, vocabulary %d, seq %d%n", preset, s.vocab(), s.seq());
        List<ForwardCompare.Round> all = ForwardCompare.run(s, ref, r -> System.out.println(Json.compact(r)));
        print(ForwardCompare.summarise(all), "tok/s");
        return 0;
    }

    private int train(ReferenceProcess ref) throws Exception {
        TrainCompare.Settings s = new TrainCompare.Settings(presets != null ? presets : List.of("tiny", "small", "base"),
                vocab != null ? vocab : 8000, batchSize, seq != null ? seq : 128, trainSteps, warmup, rounds, threads);
        System.out.printf("training, presets %s, vocabulary %d, %d x %d%n", s.presets(), s.vocab(), s.batchSize(),
                s.seq());
        TrainBenchmark.withTokenizer(tokenizer -> print(TrainCompare.summarise(
                TrainCompare.run(s, tokenizer, ref, r -> System.out.println(Json.compact(r)))), "tok/s"));
        return 0;
    }

    private static void print(List<RatioSummary> summaries, String unit) {
        System.out.printf("%-8s %7s %14s %16s %8s %12s %16s %16s%n", "shape", "rounds", "unmask " + unit,
                "reference " + unit, "ratio", "ratio range", "unmask of best", "reference of best");
        for (RatioSummary s : summaries) {
            System.out.printf("%-8s %7d %14.1f %16.1f %8.2f %5.2f-%.2f %15.1f%% %15.1f%%%n", s.shape(), s.rounds(),
                    s.unmask(), s.reference(), s.medianRatio(), s.minRatio(), s.maxRatio(),
                    100 * s.unmaskFractionOfBestMatmul(), 100 * s.referenceFractionOfBestMatmul());
            System.out.println(Json.compact(s));
        }
    }

    /** {@code ../shared/bench} beside the repository ({@code unmask.root}, set by ./unmask; else the working directory). */
    static Path defaultReference() {
        return Path.of(System.getProperty("unmask.root", ".")).toAbsolutePath().resolve("../shared/bench").normalize();
    }
}
