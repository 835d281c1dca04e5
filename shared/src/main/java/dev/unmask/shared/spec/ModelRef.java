package dev.unmask.shared.spec;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A model named in a job: a built-in preset ({@code preset:tiny}) or a model row's id. */
public record ModelRef(String preset, UUID id) {
    public static final String PRESET_PREFIX = "preset:";
    /** The engine's presets (diffusion's {@code Presets}): tiny, small, and base = roberta-base shapes. */
    public static final List<String> PRESETS = List.of("tiny", "small", "base");

    public static Optional<ModelRef> parse(String value) {
        if (value.startsWith(PRESET_PREFIX)) {
            String name = value.substring(PRESET_PREFIX.length());
            return PRESETS.contains(name) ? Optional.of(new ModelRef(name, null)) : Optional.empty();
        }
        try {
            return Optional.of(new ModelRef(null, UUID.fromString(value)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public boolean isPreset() {
        return preset != null;
    }

    @Override
    public String toString() {
        return isPreset() ? PRESET_PREFIX + preset : id.toString();
    }
}
