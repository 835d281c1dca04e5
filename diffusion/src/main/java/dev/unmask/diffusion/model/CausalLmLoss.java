package dev.unmask.diffusion.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/** Next-token cross-entropy, as {@code GPT2LMHeadModel} computes it from {@code labels}. */
public final class CausalLmLoss {
    private CausalLmLoss() {}

    /**
     * The logits at t score the label at t + 1; mean over the targets that are not
     * {@link MaskedLmLoss#IGNORE}, in float32.
     *
     * @param logits (B, T, V)
     * @param labels (B, T) int64: the input ids, {@link MaskedLmLoss#IGNORE} where not a target
     * @return a float32 scalar in the manager of {@code logits}
     */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        if (logits.getShape().dimension() != 3 || labels.getShape().dimension() != 2) {
            throw new IllegalArgumentException("logits must be (B, T, V) and labels (B, T), got "
                    + logits.getShape() + " and " + labels.getShape());
        }
        NDArray predicting = logits.get(new NDIndex(":, :-1, :")); // (B, T-1, V)
        NDArray targets = labels.get(new NDIndex(":, 1:")); // (B, T-1)
        try {
            return MaskedLmLoss.crossEntropy(predicting, targets);
        } finally {
            targets.close();
            predicting.close();
        }
    }
}
