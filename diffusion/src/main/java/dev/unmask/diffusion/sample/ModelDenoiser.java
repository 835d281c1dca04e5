package dev.unmask.diffusion.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.unmask.diffusion.model.MaskedLanguageModel;

/** A {@link Denoiser} over a {@link MaskedLanguageModel}: the LM head runs only on the positions asked for. */
public final class ModelDenoiser implements Denoiser {
    private final MaskedLanguageModel model;

    public ModelDenoiser(MaskedLanguageModel model) {
        this.model = model;
    }

    @Override
    public NDArray logits(NDManager manager, long[][] ids, long[][] attention, long[] positions) {
        return model.predictAt(manager, ids, attention, positions); // (M, V)
    }

    @Override
    public int vocabSize() {
        return model.config().vocabSize();
    }

    @Override
    public int maxLength() {
        return model.config().maxSequenceLength();
    }
}
