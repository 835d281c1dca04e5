package dev.unmask.diffusion.bench;

import dev.unmask.diffusion.run.GeneratedText;
import dev.unmask.diffusion.run.TextGenerator;
import dev.unmask.diffusion.sample.FrameListener;
import dev.unmask.diffusion.sample.GenerationConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Generation throughput: canvases of {@code maxTokens} masks after a short prompt, denoised in one
 * batch per call. Counts every canvas position filled (before end-of-text trimming).
 */
public final class GenerateBenchmark {
    public record Result(int batch, int maxTokens, String strategy, int steps, double medianSeconds,
            double tokensPerSecond, double secondsPerStep) {}

    private GenerateBenchmark() {}

    public static List<Result> run(TextGenerator generator, List<Integer> batches, int maxTokens, GenerationConfig config,
            int rounds, String prompt) {
        List<Result> results = new ArrayList<>();
        for (int batch : batches) {
            List<String> prompts = Collections.nCopies(batch, prompt);
            long[] seeds = new long[batch];
            for (int i = 0; i < batch; i++) {
                seeds[i] = i;
            }
            generator.generate(prompts, seeds, maxTokens, config, FrameListener.NONE, () -> false); // warm-up
            List<Double> seconds = new ArrayList<>();
            int steps = 0;
            for (int r = 0; r < rounds; r++) {
                long start = System.nanoTime();
                List<GeneratedText> out = generator.generate(prompts, seeds, maxTokens, config, FrameListener.NONE,
                        () -> false);
                seconds.add((System.nanoTime() - start) / 1e9);
                steps = out.get(0).steps();
            }
            double median = Stats.median(seconds);
            results.add(new Result(batch, maxTokens, config.strategy().wireName(), steps, median,
                    batch * (double) maxTokens / median, median / Math.max(1, steps)));
        }
        return results;
    }
}
