package dev.unmask.diffusion.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Picks one token per row of logits: argmax at temperature 0, else a draw from the temperature,
 * top-k and top-p filtered distribution. The uniforms come from the caller's seeded RNGs, so the
 * same seeds give the same tokens.
 *
 * <p>Only two native passes touch the (M, V) scores: a log-softmax and a top-k (k = {@code top_k},
 * or 1 when greedy). The rest, on the k best of each row, runs here in Java: top-p keeps a token
 * while the probability mass before it (under the full softmax) is below p, the kept ones are
 * renormalised, and a draw compares the uniform with their cumulative sum. Doing that small work
 * as some twenty native ops on (M, k) arrays cost more in calls than in arithmetic.
 */
final class TokenSampler {
    private TokenSampler() {}

    /**
     * @param logits (M, V) scores
     * @param uniforms (M) numbers in [0, 1), one per row; ignored when greedy
     * @param suppress (V) additive bias (0 or -inf), or null
     */
    static Predictions choose(NDArray logits, float[] uniforms, GenerationConfig config, NDArray suppress) {
        int rows = (int) logits.getShape().get(0);
        if (rows == 0) {
            return new Predictions(new long[0], new float[0]);
        }
        int vocab = (int) logits.getShape().get(1);
        boolean greedy = config.greedy();
        int k = greedy ? 1 : config.topK() > 0 ? Math.min(config.topK(), vocab) : vocab;
        float[] logProbs; // (M, k) descending per row
        long[] ids; // (M, k)
        try (NDManager scope = logits.getManager().newSubManager()) {
            logits.tempAttach(scope);
            NDArray x = logits.toType(DataType.FLOAT32, false); // (M, V)
            if (suppress != null) {
                x = x.add(suppress);
            }
            if (!greedy && config.temperature() != 1) {
                x = x.div((float) config.temperature());
            }
            NDList top = x.logSoftmax(-1).topK(k, -1, true, true); // (M, k) log-probabilities, (M, k) ids
            logProbs = top.get(0).toFloatArray();
            ids = top.get(1).toType(DataType.INT64, false).toLongArray();
        }
        long[] tokens = new long[rows];
        float[] confidence = new float[rows];
        double[] kept = new double[k];
        for (int r = 0; r < rows; r++) {
            int base = r * k;
            if (greedy) {
                tokens[r] = ids[base];
                confidence[r] = (float) Math.exp(logProbs[base]);
                continue;
            }
            int n = 0;
            double before = 0; // mass of the tokens ahead of this one, under the full softmax
            double sum = 0;
            for (int j = 0; j < k; j++) {
                if (j > 0 && before >= config.topP()) {
                    break; // top-p: the first token is always kept
                }
                double p = Math.exp(logProbs[base + j]);
                kept[n++] = p;
                before += p;
                sum += p;
            }
            double u = uniforms[r] * sum; // a draw from the kept tokens, renormalised
            int rank = 0;
            double cdf = kept[0];
            while (rank < n - 1 && cdf <= u) {
                cdf += kept[++rank];
            }
            tokens[r] = ids[base + rank];
            confidence[r] = (float) (kept[rank] / sum);
        }
        return new Predictions(tokens, confidence);
    }
}
