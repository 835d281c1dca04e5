package dev.unmask.diffusion.compare;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Generation speed at one shape: the median wall-clock seconds of a call that writes
 * {@code newTokens} after each of {@code batch} prompts, and the tokens written per second.
 *
 * @param steps denoising steps (diffusion); the tokens written one by one (GPT-2)
 */
public record Latency(
        @JsonProperty("batch") int batch,
        @JsonProperty("new_tokens") int newTokens,
        @JsonProperty("steps") int steps,
        @JsonProperty("seconds") double seconds,
        @JsonProperty("tokens_per_second") double tokensPerSecond,
        @JsonProperty("rounds") int rounds) {

    /** Times {@code call} once to warm up, then {@code rounds} times; the median of those. */
    static Latency measure(int batch, int newTokens, int steps, int rounds, Runnable call) {
        call.run();
        double[] seconds = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            call.run();
            seconds[i] = (System.nanoTime() - start) / 1e9;
        }
        java.util.Arrays.sort(seconds);
        double median = rounds % 2 == 1 ? seconds[rounds / 2] : (seconds[rounds / 2 - 1] + seconds[rounds / 2]) / 2;
        return new Latency(batch, newTokens, steps, median, batch * (double) newTokens / median, rounds);
    }
}
