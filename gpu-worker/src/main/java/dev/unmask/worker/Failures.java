package dev.unmask.worker;

import ai.djl.engine.EngineException;
import dev.unmask.diffusion.checkpoint.CheckpointException;
import dev.unmask.corpus.CorpusException;
import dev.unmask.diffusion.model.InvalidConfigException;
import dev.unmask.shared.job.JobError;
import dev.unmask.shared.spec.ValidationException;
import java.io.IOException;

/**
 * Sorts what a job threw into errors that will not pass (bad input: fail at once) and errors
 * that may (I/O, the engine, the unexpected: retry with backoff).
 */
final class Failures {
    private Failures() {}

    static JobError classify(Throwable t) {
        if (t instanceof JobFailure f) {
            return f.error();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        if (t instanceof CorpusException) {
            return JobError.permanent("invalid_dataset", message);
        }
        if (t instanceof CheckpointException || t instanceof InvalidConfigException) {
            return JobError.permanent("invalid_model", message);
        }
        if (t instanceof ValidationException) {
            return JobError.permanent("invalid_spec", message);
        }
        if (t instanceof ai.djl.TrainingDivergedException) {
            return JobError.permanent("training_diverged", message);
        }
        if (t instanceof IllegalArgumentException) {
            return JobError.permanent("invalid_input", message);
        }
        if (t instanceof IOException) {
            return JobError.transientError("io_error", message);
        }
        if (t instanceof EngineException || t instanceof OutOfMemoryError) {
            return JobError.transientError("engine_error", message);
        }
        return JobError.transientError("internal", t.getClass().getSimpleName() + ": " + message);
    }
}
