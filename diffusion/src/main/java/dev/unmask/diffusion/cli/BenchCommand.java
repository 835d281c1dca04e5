package dev.unmask.diffusion.cli;

import ai.djl.ndarray.types.DataType;
import dev.unmask.diffusion.bench.ForwardBenchmark;
import dev.unmask.diffusion.bench.GenerateBenchmark;
import dev.unmask.diffusion.bench.GenerateMixBenchmark;
import dev.unmask.diffusion.bench.TrainBenchmark;
import dev.unmask.diffusion.model.DataTypes;
import dev.unmask.diffusion.model.Devices;
import dev.unmask.diffusion.model.EngineThreads;
import dev.unmask.diffusion.model.MklKernels;
import dev.unmask.diffusion.model.Presets;
import dev.unmask.diffusion.run.TextGenerator;
import dev.unmask.diffusion.sample.GenerationConfig;
import dev.unmask.diffusion.sample.Strategy;
import dev.unmask.diffusion.util.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./unmask bench ...}: throughput numbers for BENCHMARKS.md. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmarks (BENCHMARKS.md). Add --help to any of them for its options.",
            "  api: the job API under load (./unmask bench api --help; it runs in the standalone service)"},
        subcommands = {BenchCommand.Forward.class, BenchCommand.Train.class, BenchCommand.Generate.class,
            BenchCompareCommand.class})
final class BenchCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** Which threads and kernels the numbers below come from. */
    static void engineLine() {
        System.out.printf("engine: %d intra-op threads, %s%n", EngineThreads.current(), MklKernels.describe());
    }

    @Command(name = "forward", mixinStandardHelpOptions = true,
            description = "Forward-pass tokens/s of a random-init model, and the fraction of the matmul rate it reaches.")
    static final class Forward implements Callable<Integer> {
        @Option(names = "--preset", defaultValue = "base", description = "tiny, small or base (default: ${DEFAULT-VALUE})")
        String preset;

        @Option(names = "--vocab", defaultValue = "50265", description = "vocabulary size (default: ${DEFAULT-VALUE})")
        int vocab;

        @Option(names = "--seq", defaultValue = "256", description = "sequence length (default: ${DEFAULT-VALUE})")
        int seq;

        @Option(names = "--batch", defaultValue = "1,8", split = ",", description = "batch sizes (default: ${DEFAULT-VALUE})")
        List<Integer> batches;

        @Option(names = "--rounds", defaultValue = "7", description = "measured rounds (default: ${DEFAULT-VALUE})")
        int rounds;

        @Option(names = "--warmup", defaultValue = "2", description = "unmeasured rounds first (default: ${DEFAULT-VALUE})")
        int warmup;

        @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu, gpu:N, auto (default: ${DEFAULT-VALUE})")
        String device;

        @Option(names = "--dtype", defaultValue = "float32", description = "float32 or float16 (default: ${DEFAULT-VALUE})")
        String dtype;

        @Override
        public Integer call() {
            engineLine();
            DataType type = DataTypes.parse(dtype);
            ForwardBenchmark.Result r = ForwardBenchmark.run(new ForwardBenchmark.Settings(
                    Presets.roberta(preset, vocab), seq, batches, warmup, rounds, Devices.parse(device), type));
            System.out.printf("forward pass, preset %s (%,d parameters), seq %d, %s %s, median of %d rounds%n",
                    preset, r.parameters(), r.seqLen(), r.device(), r.dataType(), r.rounds());
            System.out.printf("matmul %s: %.1f GFLOP/s%n", r.matmulShape(), r.matmulGflopsPerSecond());
            System.out.printf("%6s %12s %12s %14s %12s%n", "batch", "median s", "tokens/s", "GFLOP/s", "of matmul");
            for (ForwardBenchmark.BatchResult b : r.batches()) {
                System.out.printf("%6d %12.3f %12.1f %14.1f %11.1f%%%n", b.batch(), b.medianSeconds(),
                        b.tokensPerSecond(), b.achievedGflopsPerSecond(), 100 * b.fractionOfMatmul());
            }
            System.out.println(Json.compact(r));
            return 0;
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Training tokens/s of presets on random tokens (full steps: mask, forward, backward, AdamW).")
    static final class Train implements Callable<Integer> {
        @Option(names = "--preset", defaultValue = "tiny,small,base", split = ",",
                description = "presets, comma-separated (default: ${DEFAULT-VALUE})") List<String> presets;
        @Option(names = "--vocab", defaultValue = "8000", description = "vocabulary size (default: ${DEFAULT-VALUE})")
        int vocab;
        @Option(names = "--batch-size", defaultValue = "16", description = "sequences per step (default: ${DEFAULT-VALUE})")
        int batchSize;
        @Option(names = "--seq", defaultValue = "128", description = "sequence length (default: ${DEFAULT-VALUE})")
        int seq;
        @Option(names = "--steps", defaultValue = "10", description = "measured steps (default: ${DEFAULT-VALUE})")
        int steps;
        @Option(names = "--warmup", defaultValue = "2", description = "unmeasured steps first (default: ${DEFAULT-VALUE})")
        int warmup;
        @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu, gpu:N, auto (default: ${DEFAULT-VALUE})")
        String device;

        @Override
        public Integer call() throws Exception {
            engineLine();
            System.out.printf("%-6s %12s %6s %5s %12s %12s %10s%n", "preset", "parameters", "batch", "seq",
                    "median s", "tokens/s", "RSS MiB (first step, each quarter)");
            TrainBenchmark.withTokenizer(tokenizer -> {
                for (String preset : presets) {
                    TrainBenchmark.Result r = TrainBenchmark.run(preset, Presets.roberta(preset, vocab), tokenizer,
                            batchSize, seq, warmup, steps, Devices.parse(device));
                    System.out.printf("%-6s %,12d %6d %5d %12.3f %12.1f   %s%n", preset, r.parameters(),
                            r.batchSize(), r.seqLen(), r.medianStepSeconds(), r.tokensPerSecond(), r.rssMegabytes());
                    System.out.println(Json.compact(r));
                }
            });
            return 0;
        }
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Generation tokens/s of a model for several batch sizes (one canvas tensor per step); "
                    + "with --mix N, N calls of random shapes and strategies, as a worker sees them, with resident memory.")
    static final class Generate implements Callable<Integer> {
        @Option(names = "--model", required = true, description = "an HF masked-LM folder") Path model;
        @Option(names = "--batch", defaultValue = "1,8,32", split = ",",
                description = "canvases per call, comma-separated (default: ${DEFAULT-VALUE})") List<Integer> batches;
        @Option(names = "--max-tokens", defaultValue = "64", description = "masks per canvas (default: ${DEFAULT-VALUE})")
        int maxTokens;
        @Option(names = "--strategy", defaultValue = "topk", description = "refine, confidence, topk (default: ${DEFAULT-VALUE})")
        String strategy;
        @Option(names = "--steps", defaultValue = "16", description = "denoising steps (default: ${DEFAULT-VALUE})")
        int steps;
        @Option(names = "--rounds", defaultValue = "3", description = "measured calls per batch (default: ${DEFAULT-VALUE})")
        int rounds;
        @Option(names = "--prompt", defaultValue = "The jury said", description = "prompt of every canvas (default: ${DEFAULT-VALUE})")
        String prompt;
        @Option(names = "--warmup-seconds", defaultValue = "10",
                description = "calls of every batch size, unmeasured, for this long first (default: ${DEFAULT-VALUE})")
        double warmupSeconds;
        @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu, gpu:N, auto (default: ${DEFAULT-VALUE})")
        String device;
        @Option(names = "--threads", defaultValue = "0",
                description = "intra-op threads; 0 = the engine's default (default: ${DEFAULT-VALUE})")
        int threads;
        @Option(names = "--mix", defaultValue = "0",
                description = "run N calls of random shapes instead (1..8 canvases of 8..128 tokens, any strategy)")
        int mix;

        @Override
        public Integer call() throws Exception {
            try (TextGenerator generator = TextGenerator.load(model, Devices.parse(device), DataType.FLOAT32)) {
                EngineThreads.set(threads);
                engineLine();
                if (mix > 0) {
                    GenerateMixBenchmark.Result r = GenerateMixBenchmark.run(generator, mix, 7);
                    System.out.printf("%6s %9s %9s %10s %10s   %s%n", "calls", "canvases", "tokens", "seconds",
                            "tokens/s", "RSS MiB (first call, each quarter)");
                    System.out.printf("%6d %9d %9d %10.1f %10.1f   %s%n", r.calls(), r.canvases(), r.tokens(),
                            r.seconds(), r.tokensPerSecond(), r.rssMegabytes());
                    System.out.println(Json.compact(r));
                    return 0;
                }
                GenerationConfig config = new GenerationConfig(Strategy.fromWire(strategy), steps, 1.0, 50, 0.95, 0.9,
                        0, true);
                System.out.printf("%6s %10s %8s %12s %12s %12s%n", "batch", "max_tokens", "steps", "median s",
                        "tokens/s", "s/step");
                for (GenerateBenchmark.Result r : GenerateBenchmark.run(generator, batches, maxTokens, config, rounds,
                        prompt, warmupSeconds)) {
                    System.out.printf("%6d %10d %8d %12.3f %12.1f %12.4f%n", r.batch(), r.maxTokens(), r.steps(),
                            r.medianSeconds(), r.tokensPerSecond(), r.secondsPerStep());
                    System.out.println(Json.compact(r));
                }
            }
            return 0;
        }
    }
}
