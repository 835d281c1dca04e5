package dev.unmask.diffusion.compare;

import dev.unmask.diffusion.eval.PerplexityReport;
import dev.unmask.diffusion.run.GeneratedText;
import dev.unmask.diffusion.run.TrainRunResult;
import java.nio.file.Path;
import java.util.List;

/**
 * One side of a comparison: how it trained, its held-out evaluation (in {@code run}), its speed,
 * and its samples with their statistics.
 *
 * @param name "diffusion" or "gpt2"
 * @param folder the trained model
 * @param curve loss against wall-clock seconds, every step
 * @param trainingLoad the machine's one-minute load average as training began and as it ended
 * @param samples one per prompt, in prompt order
 * @param generativePerplexity the samples scored by the comparison's GPT-2
 */
public record ModelResult(String name, String preset, Path folder, long parameters, TrainRunResult run,
        List<LossPoint> curve, double[] trainingLoad, List<Latency> latency, List<GeneratedText> samples, SampleStats stats,
        PerplexityReport generativePerplexity) {}
