package dev.unmask.diffusion.run;

import dev.unmask.diffusion.train.ConfigChangeRefusedException;
import dev.unmask.diffusion.train.ConfigDifference;
import dev.unmask.diffusion.train.RunConfig;
import dev.unmask.diffusion.train.TrainingCheckpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** How a run that finds a checkpoint in its output folder treats a configuration that differs from the checkpoint's. */
public enum Resume {
    /** Any difference refuses the resume. */
    SAME_CONFIG,
    /** Differences in {@link RunConfig#SAFE_TO_CHANGE} are accepted (and logged); any other refuses. */
    ALLOW_SAFE_CHANGES;

    /**
     * Compares the configuration recorded in {@code checkpoint} with {@code now}. A checkpoint that
     * records none (written before checkpoints carried their configuration) resumes with a warning.
     *
     * @throws ConfigChangeRefusedException naming every refused field, with both values
     */
    public void check(Path checkpoint, RunConfig now, Consumer<String> log) throws IOException {
        Optional<RunConfig> recorded = TrainingCheckpoint.readState(checkpoint).config();
        if (recorded.isEmpty()) {
            log.accept("warning: " + checkpoint + " records no run configuration (it predates that); resuming "
                    + "without checking that this run's configuration is the one it was written with");
            return;
        }
        List<ConfigDifference> differences = recorded.get().differences(now);
        List<ConfigDifference> refused = this == ALLOW_SAFE_CHANGES
                ? differences.stream().filter(d -> !RunConfig.SAFE_TO_CHANGE.contains(d.field())).toList()
                : differences;
        if (!refused.isEmpty()) {
            throw new ConfigChangeRefusedException(checkpoint, refused, this == ALLOW_SAFE_CHANGES);
        }
        if (!differences.isEmpty()) {
            log.accept("resuming with a changed configuration (allowed): " + differences);
        }
    }
}
