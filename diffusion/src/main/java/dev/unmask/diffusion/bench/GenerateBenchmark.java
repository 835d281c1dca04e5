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
 *
 * <p>The JVM is warmed first: calls of every batch size in turn for {@code warmupSeconds} (and at
 * least one each), so the JIT has compiled the Java side of a step (DJL's op wrappers, the
 * generator, the sampler) as in a worker that has run a few jobs. With one warm-up call, batch 1
 * measured a half-compiled JVM: 16.7, 9.5 and 6.2 ms per tiny step in three rounds of one run.
 */
public final class GenerateBenchmark {
    public record Result(int batch, int maxTokens, String strategy, int steps, double medianSeconds,
            double tokensPerSecond, double secondsPerStep) {}

    private GenerateBenchmark() {}

    public static List<Result> run(TextGenerator generator, List<Integer> batches, int maxTokens, GenerationConfig config,
            int rounds, String prompt, double warmupSeconds) {
        long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        do {
            for (int batch : batches) {
                generator.generate(Collections.nCopies(batch, prompt), seeds(batch), maxTokens, config,
                        FrameListener.NONE, () -> false);
            }
        } while (System.nanoTime() < warmEnd);
        List<Result> results = new ArrayList<>();
        for (int batch : batches) {
            List<String> prompts = Collections.nCopies(batch, prompt);
            long[] seeds = seeds(batch);
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

    private static long[] seeds(int batch) {
        long[] seeds = new long[batch];
        for (int i = 0; i < batch; i++) {
            seeds[i] = i;
        }
        return seeds;
    }
}
