package dev.unmask.diffusion.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.unmask.diffusion.model.MaskedLanguageModel;
import dev.unmask.diffusion.model.MaskedLmLoss;
import dev.unmask.diffusion.noise.MaskedBatch;
import dev.unmask.diffusion.noise.Masker;
import dev.unmask.diffusion.util.Rng;

/**
 * The diffusion objective of a masked LM: each batch is masked at ratios from the noise schedule
 * ({@link Masker}), the LM head runs only at the masked positions (padded to a {@link RowBuckets}
 * size with rows of weight 0), and the loss is their weighted cross-entropy.
 */
public final class MaskedDiffusion implements Objective<MaskedLanguageModel> {
    private final Masker masker;

    public MaskedDiffusion(Masker masker) {
        this.masker = masker;
    }

    @Override
    public NDArray loss(MaskedLanguageModel model, TrainBatch clean, Rng rng, NDManager scope) {
        MaskedBatch masked = masker.mask(clean.ids(), clean.attention(), clean.promptLengths(), rng);
        int positions = masked.inputIds().length * masked.inputIds()[0].length;
        MaskedBatch batch = masked.paddedTo(RowBuckets.size(masked.maskedPositions().length, positions));
        NDArray ids = scope.create(batch.inputIds()); // (B, L)
        NDArray attention = scope.create(batch.attention()); // (B, L)
        NDArray logits = model.logitsAt(ids, attention, scope.create(batch.maskedPositions())); // (M, V)
        return MaskedLmLoss.weightedCrossEntropy(logits, scope.create(batch.targets()),
                scope.create(batch.weights()), batch.normalizer()); // () float32
    }
}
