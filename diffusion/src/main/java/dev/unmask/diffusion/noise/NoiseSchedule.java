package dev.unmask.diffusion.noise;

import dev.unmask.diffusion.util.Rng;

/** How much of each training sequence is masked, and how the loss of its masked tokens is weighted. */
public interface NoiseSchedule {
    /** Masking probabilities for a batch of {@code batch} sequences, each in (0, 1]. */
    double[] ratios(Rng rng, int batch);

    /** The loss weight of a masked token in a sequence masked at {@code ratio}. */
    double weight(double ratio);

    /** Whether the loss is an ELBO (weighted sum per maskable token) rather than a mean over masked tokens. */
    boolean elbo();
}
