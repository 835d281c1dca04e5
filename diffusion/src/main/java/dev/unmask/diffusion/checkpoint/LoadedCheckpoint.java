package dev.unmask.diffusion.checkpoint;

import dev.unmask.diffusion.model.MaskedLanguageModel;
import java.util.List;

/**
 * A checkpoint loaded for training.
 *
 * @param model the model; the caller closes it
 * @param initialised HF names of the tensors the checkpoint lacked and that were initialised fresh
 *     (a headless encoder's masked-LM head), in layout order; empty for a complete checkpoint
 */
public record LoadedCheckpoint(MaskedLanguageModel model, List<String> initialised) implements AutoCloseable {
    public LoadedCheckpoint {
        initialised = List.copyOf(initialised);
    }

    /** Closes the model (and its native memory). */
    @Override
    public void close() {
        model.close();
    }

    public boolean headless() {
        return !initialised.isEmpty();
    }
}
