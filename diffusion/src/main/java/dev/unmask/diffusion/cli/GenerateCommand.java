package dev.unmask.diffusion.cli;

import ai.djl.ndarray.types.DataType;
import dev.unmask.diffusion.model.Devices;
import dev.unmask.diffusion.run.GeneratedText;
import dev.unmask.diffusion.run.PromptGenerator;
import dev.unmask.diffusion.sample.FrameListener;
import dev.unmask.diffusion.sample.GenerationConfig;
import dev.unmask.diffusion.sample.Strategy;
import dev.unmask.diffusion.util.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ./unmask generate MODEL --prompt ...}: text by iterative unmasking, or left to right with a KV cache
 * for a GPT-2 folder (MODEL: a folder or a Hub id) (which reads temperature, top-k and top-p; the strategy options do not apply).
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Generate text by iterative unmasking. A prompt containing the mask token (e.g. <mask>) is infilled."
                + " A GPT-2 folder writes left to right (temperature, top-k, top-p; no strategy).")
final class GenerateCommand implements Callable<Integer> {
    @ParentCommand UnmaskCli cli;
    @Parameters(index = "0", paramLabel = "MODEL", description = "an HF folder or a Hub id org/name[@revision]") String model;
    @Option(names = "--prompt", required = true, description = "prompt text; repeat for a batch") List<String> prompts;
    @Option(names = "--max-tokens", defaultValue = "64") int maxTokens;
    @Option(names = "--strategy", defaultValue = "refine", description = "refine, confidence, topk (default: ${DEFAULT-VALUE})") String strategy;
    @Option(names = "--steps", defaultValue = "10") int steps;
    @Option(names = "--temperature", defaultValue = "1.0", description = "0 = greedy") double temperature;
    @Option(names = "--top-k", defaultValue = "50", description = "0 = off") int topK;
    @Option(names = "--top-p", defaultValue = "0.95") double topP;
    @Option(names = "--threshold", defaultValue = "0.9", description = "confidence strategy") double threshold;
    @Option(names = "--block-size", defaultValue = "0", description = "semi-autoregressive blocks; 0 = off") int blockSize;
    @Option(names = "--seed", defaultValue = "0") long seed;
    @Option(names = "-n", defaultValue = "1", description = "generations per prompt (seeds seed, seed+1, ...)") int n;
    @Option(names = "--show-steps", description = "print the canvas after every step (GPT-2: every token)") boolean showSteps;
    @Option(names = "--device", defaultValue = "auto") String device;
    @Option(names = "--json", description = "one JSON line per generation") boolean json;

    @Override
    public Integer call() throws Exception {
        GenerationConfig config = new GenerationConfig(Strategy.fromWire(strategy), steps, temperature, topK, topP,
                threshold, blockSize, true);
        if (n < 1 || n > 1024) {
            throw new IllegalArgumentException("-n must be in [1, 1024], got " + n);
        }
        List<String> all = new ArrayList<>();
        long[] seeds = new long[prompts.size() * n];
        for (String p : prompts) {
            for (int i = 0; i < n; i++) {
                seeds[all.size()] = seed + i;
                all.add(p);
            }
        }
        Path modelDir = cli.modelFolder(model);
        try (PromptGenerator generator = PromptGenerator.load(modelDir, Devices.parse(device), DataType.FLOAT32)) {
            FrameListener frames = showSteps
                    ? f -> System.err.printf("[%d] step %2d  %s%n", f.row(), f.step(), generator.render(f.ids()))
                    : FrameListener.NONE;
            long start = System.nanoTime();
            List<GeneratedText> texts = generator.generate(all, seeds, maxTokens, config, frames, () -> false);
            double seconds = (System.nanoTime() - start) / 1e9;
            for (GeneratedText t : texts) {
                System.out.println(json ? Json.compact(t) : t.fullText());
            }
            long tokens = texts.stream().mapToLong(GeneratedText::tokens).sum();
            System.err.printf("%d generations, %d tokens in %.2f s (%.1f tokens/s)%n", texts.size(), tokens, seconds,
                    tokens / seconds);
        }
        return 0;
    }
}
