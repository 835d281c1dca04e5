package dev.unmask.diffusion.cli;

import ai.djl.ndarray.types.DataType;
import dev.unmask.diffusion.bench.CompareBenchmark;
import dev.unmask.diffusion.model.Devices;
import dev.unmask.diffusion.model.EngineThreads;
import dev.unmask.diffusion.run.TextGenerator;
import dev.unmask.diffusion.sample.GenerationConfig;
import dev.unmask.diffusion.sample.Strategy;
import dev.unmask.diffusion.util.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./unmask bench compare}: Unmask's generate benchmark against the plain-PyTorch reference, alternately. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Generation tokens/s of Unmask and of the plain-PyTorch reference (torch_cpu_bench.py generate,"
                + " shared/bench/README.md) on the same model folder, topk strategy, alternating rounds; one JSON line"
                + " per round and batch, then the median ratios (Unmask / the reference's best variant).",
            "Needs /usr/bin/python3 with Debian's python3-torch and libopenblas0-openmp."})
final class BenchCompareCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "an HF masked-LM folder both sides load") Path model;
    @Option(names = "--batch", defaultValue = "1,8,32", split = ",",
            description = "canvases per call, comma-separated (default: ${DEFAULT-VALUE})") List<Integer> batches;
    @Option(names = "--max-tokens", defaultValue = "64", description = "masks per canvas (default: ${DEFAULT-VALUE})")
    int maxTokens;
    @Option(names = "--steps", defaultValue = "16", description = "denoising steps (default: ${DEFAULT-VALUE})")
    int steps;
    @Option(names = "--rounds", defaultValue = "2",
            description = "alternations: Unmask then the reference, this many times (default: ${DEFAULT-VALUE})")
    int rounds;
    @Option(names = "--inner-rounds", defaultValue = "3",
            description = "measured calls per batch on each side in each round, median taken (default: ${DEFAULT-VALUE})")
    int innerRounds;
    @Option(names = "--prompt", defaultValue = "The jury said",
            description = "Unmask's prompt; the reference draws as many random tokens (default: ${DEFAULT-VALUE})")
    String prompt;
    @Option(names = "--threads", defaultValue = "2",
            description = "intra-op threads of both sides (default: ${DEFAULT-VALUE}, the reference's)")
    int threads;
    @Option(names = "--reference", description = "folder of torch_cpu_bench.py (default: ../shared/bench beside the repository)")
    Path reference;
    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "the interpreter (default: ${DEFAULT-VALUE})")
    Path python;

    @Override
    public Integer call() throws Exception {
        Path script = (reference != null ? reference : defaultReference()).resolve("torch_cpu_bench.py");
        try {
            CompareBenchmark.requireReference(python, script);
        } catch (CompareBenchmark.ReferenceUnavailableException e) {
            System.err.println("bench compare: " + e.getMessage());
            return 2;
        }
        try (TextGenerator generator = TextGenerator.load(model, Devices.parse("cpu"), DataType.FLOAT32)) {
            EngineThreads.set(threads);
            int promptLength = generator.canvas(prompt, maxTokens, 0).length() - maxTokens;
            CompareBenchmark.Settings settings = new CompareBenchmark.Settings(model, batches, maxTokens, steps, rounds,
                    innerRounds, prompt, promptLength, threads, python, script);
            GenerationConfig config = new GenerationConfig(Strategy.TOPK, steps, 1.0, 50, 0.95, 0.9, 0, true);
            System.out.printf("bench compare: %s, prompt %d + %d tokens, %d steps, %d threads, reference %s%n", model,
                    promptLength, maxTokens, steps, EngineThreads.current(), script);
            List<CompareBenchmark.Round> all;
            try {
                all = CompareBenchmark.run(generator, settings, config, r -> System.out.println(Json.compact(r)));
            } catch (CompareBenchmark.ReferenceUnavailableException e) {
                System.err.println("bench compare: " + e.getMessage());
                return 2;
            }
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

    /** {@code ../shared/bench} beside the repository ({@code unmask.root}, set by ./unmask; else the working directory). */
    static Path defaultReference() {
        return Path.of(System.getProperty("unmask.root", ".")).toAbsolutePath().resolve("../shared/bench").normalize();
    }
}
