package dev.unmask.diffusion.run;

import dev.unmask.diffusion.model.Presets;
import java.nio.file.Path;

/**
 * Where a training run's model comes from: a preset shape trained from scratch
 * ({@code preset:tiny}, {@code preset:gpt2-tiny}), or an HF checkpoint folder to fine-tune.
 */
public record ModelSource(String preset, Path directory) {
    public static final String PRESET_PREFIX = "preset:";

    public static ModelSource parse(String value) {
        if (value.startsWith(PRESET_PREFIX)) {
            String name = value.substring(PRESET_PREFIX.length());
            Presets.family(name); // validates the name
            return new ModelSource(name, null);
        }
        return new ModelSource(null, Path.of(value));
    }

    public boolean fromScratch() {
        return preset != null;
    }

    @Override
    public String toString() {
        return fromScratch() ? PRESET_PREFIX + preset : directory.toString();
    }
}
