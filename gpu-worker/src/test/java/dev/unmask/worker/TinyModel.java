package dev.unmask.worker;

import ai.djl.Device;
import dev.unmask.corpus.CorpusFormat;
import dev.unmask.diffusion.data.Packing;
import dev.unmask.diffusion.noise.DiscreteLevels;
import dev.unmask.diffusion.run.ModelSource;
import dev.unmask.diffusion.run.TrainSpec;
import dev.unmask.diffusion.run.TrainingRun;
import dev.unmask.diffusion.train.LrSchedule;
import dev.unmask.diffusion.train.Precision;
import dev.unmask.diffusion.train.TrainConfig;
import dev.unmask.diffusion.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A model for generate jobs, trained with the engine directly (no worker, no queue) for a few steps. */
final class TinyModel {
    private TinyModel() {}

    /** Trains {@code preset:tiny} on {@code corpus} for 4 steps; returns the model folder. */
    static Path train(Path corpus, Path out) throws IOException {
        TrainConfig config = new TrainConfig(4, 4, 1, 1e-3, 0, LrSchedule.Decay.LINEAR, 0.01, 1.0, 0.9, 0.999, 1e-8,
                0, 0, false, new DiscreteLevels(10), 1, Precision.FP32);
        TrainSpec spec = new TrainSpec(ModelSource.parse("preset:tiny"), List.of(corpus), CorpusFormat.TEXT, out, null,
                300, 32, Packing.PACK, 0.1, config, Device.cpu(), 0);
        TrainingListener quiet = p -> {};
        return TrainingRun.run(spec, message -> {}, quiet, () -> false).training().outputDir();
    }
}
