package dev.unmask.diffusion.train;

import java.nio.file.Path;
import java.util.List;

/**
 * A finished run.
 *
 * @param outputDir the final model, an HF folder
 * @param checkpoints resumable checkpoints written, oldest first
 * @param losses the loss of every step this process ran
 * @param tokens real (non-padding) tokens of the batches this process trained on
 */
public record TrainingResult(Path outputDir, int steps, double finalLoss, List<Path> checkpoints,
        List<Double> losses, double seconds, double tokensPerSecond, long tokens) {}
