package dev.unmask.diffusion.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/** Masked-LM cross-entropy, as {@code transformers} computes it (labels of -100 are ignored). */
public final class MaskedLmLoss {
    /** The label of positions that are not predicted. */
    public static final long IGNORE = -100;

    private MaskedLmLoss() {}

    /**
     * Mean cross-entropy over labelled positions, computed in float32.
     *
     * @param logits (batch, seq, vocab)
     * @param labels (batch, seq) int64: target id, or {@link #IGNORE}
     * @return a float32 scalar in the manager of {@code logits}
     * @throws IllegalArgumentException when no position is labelled
     */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        long vocab = logits.getShape().getLastDimension();
        if (labels.getShape().size() * vocab != logits.getShape().size()) {
            throw new IllegalArgumentException("labels " + labels.getShape()
                    + " do not match logits " + logits.getShape());
        }
        NDManager out = logits.getManager();
        try (NDManager scope = out.newSubManager()) {
            logits.tempAttach(scope);
            labels.tempAttach(scope);
            NDArray flatLabels = labels.toDevice(logits.getDevice(), false)
                    .toType(DataType.INT64, false).reshape(-1); // (N)
            NDArray selected = flatLabels.neq(IGNORE); // (N) bool
            NDArray targets = flatLabels.get(new NDIndex("{}", selected)); // (M)
            if (targets.getShape().get(0) == 0) {
                throw new IllegalArgumentException("no labelled position: every label is " + IGNORE);
            }
            NDArray rows = Scalars.float32(logits.reshape(-1, vocab).get(new NDIndex("{}", selected))); // (M, V)
            NDArray logProbs = rows.logSoftmax(-1); // (M, V)
            NDArray loss = logProbs.gather(targets.reshape(-1, 1), 1).mean().negi(); // ()
            loss.attach(out);
            return loss;
        }
    }

    /**
     * The diffusion objective over masked rows only: {@code sum(weight * CE) / normalizer}, in float32.
     *
     * @param logits (M, V) scores at the masked positions
     * @param targets (M) int64 original tokens
     * @param weights (M) per-token loss weights
     * @param normalizer masked tokens (plain mean) or maskable tokens (ELBO)
     */
    public static NDArray weightedCrossEntropy(NDArray logits, NDArray targets, NDArray weights, double normalizer) {
        NDManager out = logits.getManager();
        try (NDManager scope = out.newSubManager()) {
            logits.tempAttach(scope);
            NDArray logProbs = Scalars.float32(logits).logSoftmax(-1); // (M, V)
            NDArray nll = logProbs.gather(targets.toType(DataType.INT64, false).reshape(-1, 1), 1)
                    .reshape(-1).negi(); // (M)
            NDArray loss = Scalars.div(nll.mul(weights.toType(DataType.FLOAT32, false)).sum(), (float) normalizer); // ()
            loss.attach(out);
            return loss;
        }
    }
}
