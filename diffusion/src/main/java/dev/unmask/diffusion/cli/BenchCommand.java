package dev.unmask.diffusion.cli;

import ai.djl.ndarray.types.DataType;
import dev.unmask.diffusion.bench.ForwardBenchmark;
import dev.unmask.diffusion.model.Devices;
import dev.unmask.diffusion.model.Presets;
import dev.unmask.diffusion.util.Json;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./unmask bench ...}: throughput numbers for BENCHMARKS.md. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks.",
        subcommands = {BenchCommand.Forward.class})
final class BenchCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
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
            DataType type = switch (dtype) {
                case "float32" -> DataType.FLOAT32;
                case "float16" -> DataType.FLOAT16;
                default -> throw new IllegalArgumentException("--dtype " + dtype + " is not supported; supported: float32, float16");
            };
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
}
