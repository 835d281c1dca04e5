package dev.unmask.diffusion.sample;

import dev.unmask.jobspec.GenerateParams;
import dev.unmask.jobspec.ParamValues;

/**
 * How to denoise a batch of canvases, checked against its description ({@link GenerateParams}).
 * Temperature 0 is greedy and deterministic.
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
        GenerateParams.STEPS.requireInt(steps);
        GenerateParams.TEMPERATURE.requireNumber(temperature);
        GenerateParams.TOP_K.requireInt(topK);
        GenerateParams.TOP_P.requireNumber(topP);
        GenerateParams.THRESHOLD.requireNumber(threshold);
        GenerateParams.BLOCK_SIZE.requireInt(blockSize);
    }

    /**
     * The one place a generation's configuration is built from described values
     * ({@link GenerateParams}): what {@code ./unmask generate} and the worker's generate jobs call.
     * Special tokens are suppressed, as the service always does.
     */
    public static GenerationConfig from(ParamValues v) {
        return new GenerationConfig(Strategy.fromWire(v.getString(GenerateParams.STRATEGY)),
                v.getInt(GenerateParams.STEPS), v.getDouble(GenerateParams.TEMPERATURE), v.getInt(GenerateParams.TOP_K),
                v.getDouble(GenerateParams.TOP_P), v.getDouble(GenerateParams.THRESHOLD),
                v.getInt(GenerateParams.BLOCK_SIZE), true);
    }

    /** The described defaults ({@link GenerateParams}): refine, 10 steps, temperature 1, top-k 50, top-p 0.95. */
    public static GenerationConfig defaults() {
        return from(GenerateParams.SET.defaults());
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
