package dev.unmask.diffusion.bench;

import dev.unmask.diffusion.run.TextGenerator;
import dev.unmask.diffusion.sample.FrameListener;
import dev.unmask.diffusion.sample.GenerationConfig;
import dev.unmask.diffusion.sample.Strategy;
import dev.unmask.diffusion.util.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * What a long-lived worker sees: many generate calls of random shapes one after another (1..8
 * canvases of 8..128 tokens each, any strategy, 4..16 steps, prompts of 1..40 words). Reports the
 * throughput and the resident memory after the first call and after each further quarter, to show
 * whether native memory stays flat across ever-changing tensor shapes.
 */
public final class GenerateMixBenchmark {
    /**
     * @param rssMegabytes resident memory after the first call and after each further quarter
     */
    public record Result(int calls, long canvases, long tokens, double seconds, double tokensPerSecond,
            List<Long> rssMegabytes) {}

    private static final String[] WORDS = ("the jury said it was a fine day for the city and its people who had "
            + "voted in the election of the new mayor after a long campaign").split(" ");

    private GenerateMixBenchmark() {}

    public static Result run(TextGenerator generator, int calls, long seed) {
        Rng rng = new Rng(seed);
        List<Long> rss = new ArrayList<>();
        int quarter = Math.max(1, calls / 4);
        long canvases = 0;
        long tokens = 0;
        long start = System.nanoTime();
        for (int call = 1; call <= calls; call++) {
            int batch = 1 + rng.nextInt(8);
            List<String> prompts = new ArrayList<>();
            long[] seeds = new long[batch];
            int[] lengths = new int[batch];
            for (int i = 0; i < batch; i++) {
                prompts.add(prompt(rng, 1 + rng.nextInt(40)));
                seeds[i] = rng.nextInt(1_000_000);
                lengths[i] = 8 + rng.nextInt(121);
                tokens += lengths[i];
            }
            Strategy strategy = Strategy.values()[rng.nextInt(Strategy.values().length)];
            GenerationConfig config = new GenerationConfig(strategy, 4 + rng.nextInt(13), 1.0, 50, 0.95, 0.9, 0, true);
            generator.generate(prompts, seeds, lengths, config, FrameListener.NONE, () -> false);
            canvases += batch;
            if (call == 1 || call % quarter == 0) {
                rss.add(Memory.residentMegabytes());
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(calls, canvases, tokens, seconds, tokens / seconds, rss);
    }

    private static String prompt(Rng rng, int words) {
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < words; w++) {
            text.append(w == 0 ? "" : " ").append(WORDS[rng.nextInt(WORDS.length)]);
        }
        return text.toString();
    }
}
