package dev.unmask.diffusion.run;

import dev.unmask.diffusion.eval.HeldOutEval;
import dev.unmask.diffusion.train.TrainingResult;

/**
 * A finished training run: the trainer's result, held-out evaluation (null when skipped), and the
 * corpus that was used.
 *
 * @param data the splits and the batches the trainer took, as observed
 */
public record TrainRunResult(TrainingResult training, HeldOutEval eval, int documents, long corpusTokens,
        int trainSequences, int heldOutSequences, boolean tokenizerTrained, int resumedFromStep, DataTrace data) {}
