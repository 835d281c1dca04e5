package dev.unmask.diffusion.train;

import java.nio.file.Path;

/** What a training run reports as it goes: every step, and every resumable checkpoint written. */
public interface TrainingListener {
    /** After every optimizer step. */
    void progress(TrainingProgress progress);

    /** After the checkpoint of {@code step} is completely written to {@code dir}. */
    default void checkpoint(int step, Path dir, double loss) {}

    /** A listener that only follows progress. */
    static TrainingListener ofProgress(java.util.function.Consumer<TrainingProgress> progress) {
        return progress::accept;
    }
}
