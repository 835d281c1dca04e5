package dev.unmask.diffusion.compare;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.List;

/**
 * A diffusion-against-autoregressive comparison: one corpus, one model size, one wall-clock
 * budget per model, and the seed's generation shape.
 *
 * @param size tiny, small or base: the diffusion preset of that name and the GPT-2 preset
 *     {@code gpt2-SIZE} of about the same parameter count
 * @param minutes each model's training budget
 * @param warmupSteps linear warm-up, then a constant learning rate (a budget has no last step to decay to)
 * @param evalSamples Monte Carlo samples of t for the diffusion model's ELBO
 * @param promptTokens the prompt as a diffusion canvas counts it: the start token and
 *     {@code promptTokens - 1} held-out tokens (GPT-2 gets the same held-out tokens)
 * @param newTokens tokens written after each prompt
 * @param samples prompts (and samples of each model) for generative perplexity and diversity
 * @param latencyRounds timed calls per latency shape, after one warm-up call
 */
public record CompareSpec(List<Path> corpus, String size, double minutes, Path outputDir, Device device,
        int vocabSize, int seqLen, int batchSize, double learningRate, int warmupSteps, long seed,
        double heldOut, int evalSamples, int promptTokens, int newTokens, int samples, int latencyRounds) {
    public static final List<String> SIZES = List.of("tiny", "small", "base");
    /** The batch sizes generation speed is measured at (the seed's). */
    public static final List<Integer> LATENCY_BATCHES = List.of(1, 8);
    /** Prompts shown side by side in samples.txt. */
    public static final int SHOWN = 5;

    public CompareSpec {
        if (corpus == null || corpus.isEmpty()) {
            throw new IllegalArgumentException("--corpus: at least one file is required");
        }
        corpus = List.copyOf(corpus);
        if (!SIZES.contains(size)) {
            throw new IllegalArgumentException("--size " + size + " is not supported; supported: "
                    + String.join(", ", SIZES));
        }
        if (!(minutes > 0) || minutes > 24 * 60) {
            throw new IllegalArgumentException("--minutes must be in (0, 1440], got " + minutes);
        }
        if (promptTokens < 2) {
            throw new IllegalArgumentException("--prompt-tokens must be at least 2 (start token + text), got "
                    + promptTokens);
        }
        if (newTokens < 4) {
            throw new IllegalArgumentException("--new-tokens must be at least 4, got " + newTokens);
        }
        if (samples < 1 || latencyRounds < 1) {
            throw new IllegalArgumentException("--samples and --latency-rounds must be at least 1");
        }
    }

    public String diffusionPreset() {
        return size;
    }

    public String gpt2Preset() {
        return "gpt2-" + size;
    }

    /** The two diffusion step counts measured: 10, and one step per 4 new tokens (the seed's 240 / 4 = 60). */
    public List<Integer> diffusionSteps() {
        return List.of(10, Math.max(1, newTokens / 4));
    }
}
