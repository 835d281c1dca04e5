package dev.unmask.diffusion.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.unmask.diffusion.model.CausalLmLoss;
import dev.unmask.diffusion.model.Gpt2Model;
import dev.unmask.diffusion.model.MaskedLmLoss;
import dev.unmask.diffusion.util.Rng;

/**
 * The autoregressive objective of GPT-2: the logits at every position score the token after it,
 * mean cross-entropy over the targets ({@link CausalLmLoss}, as {@code GPT2LMHeadModel} computes it
 * from {@code labels}). No noise: the RNG is untouched.
 */
public final class NextToken implements Objective<Gpt2Model> {

    @Override
    public NDArray loss(Gpt2Model model, TrainBatch batch, Rng rng, NDManager scope) {
        NDArray ids = scope.create(batch.ids()); // (B, T)
        NDArray attention = scope.create(batch.attention()); // (B, T)
        NDArray logits = model.forward(ids, attention).logits(); // (B, T, V)
        return CausalLmLoss.crossEntropy(logits, scope.create(labels(batch))); // () float32
    }

    /**
     * (B, T) the ids where a token is a target, {@link MaskedLmLoss#IGNORE} elsewhere: padding, and
     * a row's prompt (its first {@code promptLength} positions, the start token included), which
     * is context and never learnt, as the diffusion objective never masks it. Position 0 has
     * nothing before it and is never a target.
     */
    public static long[][] labels(TrainBatch batch) {
        long[][] ids = batch.ids();
        long[][] labels = new long[ids.length][];
        for (int b = 0; b < ids.length; b++) {
            int first = Math.max(1, batch.promptLengths() == null ? 0 : batch.promptLengths()[b]);
            labels[b] = new long[ids[b].length];
            for (int t = 0; t < ids[b].length; t++) {
                boolean target = t >= first && batch.attention()[b][t] != 0;
                labels[b][t] = target ? ids[b][t] : MaskedLmLoss.IGNORE;
            }
        }
        return labels;
    }
}
