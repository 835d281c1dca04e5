package dev.unmask.diffusion.sample;

/**
 * How to denoise a batch of canvases. Temperature 0 is greedy and deterministic.
 *
 * @param steps denoising steps (refine, topk); an upper bound for confidence
 * @param temperature softmax temperature; 0 = argmax
 * @param topK keep the k most likely tokens when sampling; 0 = all
 * @param topP keep the smallest set of tokens whose probability reaches p; 1 = all
 * @param threshold the confidence strategy's commit threshold, in (0, 1]
 * @param blockSize semi-autoregressive blocks of this many generated positions, left to right;
 *     0 = one block
 * @param suppressSpecialTokens never predict the mask, start or unknown token (the service's
 *     default); off reproduces reference algorithms that choose over the whole vocabulary
 */
public record GenerationConfig(
        Strategy strategy, int steps, double temperature, int topK, double topP, double threshold,
        int blockSize, boolean suppressSpecialTokens) {

    public GenerationConfig {
        if (strategy == null) {
            throw new IllegalArgumentException("strategy is required");
        }
        if (steps < 1 || steps > 10_000) {
            throw new IllegalArgumentException("steps must be in [1, 10000], got " + steps);
        }
        if (!(temperature >= 0) || temperature > 100) {
            throw new IllegalArgumentException("temperature must be in [0, 100], got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top_k must be >= 0 (0 = no limit), got " + topK);
        }
        if (!(topP > 0) || topP > 1) {
            throw new IllegalArgumentException("top_p must be in (0, 1], got " + topP);
        }
        if (!(threshold > 0) || threshold > 1) {
            throw new IllegalArgumentException("threshold must be in (0, 1], got " + threshold);
        }
        if (blockSize < 0) {
            throw new IllegalArgumentException("block_size must be >= 0 (0 = one block), got " + blockSize);
        }
    }

    /** The reference recipe's defaults: refine, 10 steps, temperature 1, top-k 50, top-p 0.95. */
    public static GenerationConfig defaults() {
        return new GenerationConfig(Strategy.REFINE, 10, 1.0, 50, 0.95, 0.9, 0, true);
    }

    /**
     * What autoregressive decoding reads: temperature, top-k and top-p; the diffusion settings at
     * neutral values and no token suppressed.
     */
    public static GenerationConfig sampling(double temperature, int topK, double topP) {
        return new GenerationConfig(Strategy.REFINE, 1, temperature, topK, topP, 1.0, 0, false);
    }

    public boolean greedy() {
        return temperature == 0;
    }

    public GenerationConfig withStrategy(Strategy s, int newSteps) {
        return new GenerationConfig(s, newSteps, temperature, topK, topP, threshold, blockSize, suppressSpecialTokens);
    }
}
