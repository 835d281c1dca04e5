package dev.unmask.diffusion.train;

/**
 * Reported after every optimizer step.
 *
 * @param step 1-based step just completed
 * @param totalSteps the run's length
 * @param loss the step's training loss (mean over its micro-batches)
 * @param lr the learning rate the step used
 * @param gradNorm the global gradient norm before clipping
 * @param tokensPerSecond maskable tokens per second over the steps of this process
 * @param etaSeconds estimated seconds to the last step (or to the end of a time budget, if sooner)
 * @param elapsedSeconds wall-clock seconds since this process's run began, this step included
 */
public record TrainingProgress(int step, int totalSteps, double loss, double lr, double gradNorm,
        double tokensPerSecond, double etaSeconds, double elapsedSeconds) {}
