package dev.unmask.diffusion.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Picks one token per row of logits: argmax at temperature 0, else a draw from the temperature,
 * top-k and top-p filtered distribution. DJL has no multinomial on PyTorch, so a draw compares a
 * uniform number with the cumulative sum of the sorted probabilities. The uniforms come from the
 * caller's seeded RNGs, so the same seeds give the same tokens.
 */
final class TokenSampler {
    private TokenSampler() {}

    /**
     * @param logits (M, V) scores
     * @param uniforms (M) numbers in [0, 1), one per row; ignored when greedy
     * @param suppress (V) additive bias (0 or -inf), or null
     */
    static Predictions choose(NDArray logits, float[] uniforms, GenerationConfig config, NDArray suppress) {
        long rows = logits.getShape().get(0);
        if (rows == 0) {
            return new Predictions(new long[0], new float[0]);
        }
        try (NDManager scope = logits.getManager().newSubManager()) {
            logits.tempAttach(scope);
            NDArray x = logits.toType(DataType.FLOAT32, false); // (M, V)
            if (suppress != null) {
                x = x.add(suppress);
            }
            if (config.greedy()) {
                NDArray probs = x.softmax(-1); // (M, V)
                return new Predictions(
                        probs.argMax(-1).toType(DataType.INT64, false).toLongArray(),
                        probs.max(new int[] {-1}).toFloatArray());
            }
            int vocab = (int) x.getShape().get(1);
            int k = config.topK() > 0 ? Math.min(config.topK(), vocab) : vocab;
            NDArray probs = (config.temperature() == 1 ? x : x.div((float) config.temperature())).softmax(-1); // (M, V)
            NDList top = probs.topK(k, -1, true, true);
            NDArray values = top.get(0); // (M, k) descending
            NDArray indices = top.get(1); // (M, k)
            if (config.topP() < 1) {
                // keep a token while the mass before it is below p (the first is always kept)
                NDArray before = values.cumSum(1).sub(values); // (M, k)
                values = values.mul(before.lt((float) config.topP()).toType(DataType.FLOAT32, false));
            }
            values = values.div(values.sum(new int[] {1}, true)); // (M, k), rows sum to 1
            NDArray cdf = values.cumSum(1); // (M, k)
            NDArray u = scope.create(uniforms).reshape(rows, 1); // (M, 1)
            NDArray choice = cdf.lt(u).toType(DataType.INT64, false).sum(new int[] {1}, true)
                    .clip(0, k - 1); // (M, 1) rank of the drawn token
            return new Predictions(
                    indices.gather(choice, 1).reshape(rows).toType(DataType.INT64, false).toLongArray(),
                    values.gather(choice, 1).reshape(rows).toFloatArray());
        }
    }
}
