package dev.unmask.shared.spec;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A model named in a job: a built-in preset ({@code preset:tiny}), a model row's id, or a Hub id
 * ({@code org/name} or {@code org/name@revision}) that the worker resolves into the shared HF cache.
 */
public record ModelRef(String preset, UUID id, String hub) {
    public static final String PRESET_PREFIX = "preset:";
    /** A model row registered from the Hub has the uri {@code hf://org/name[@revision]}. */
    public static final String HUB_URI_PREFIX = "hf://";
    /**
     * The engine's presets (diffusion's {@code Presets}): tiny, small, and base = roberta-base shapes
     * (diffusion encoders), and GPT-2 decoders of the same sizes (trained by next-token prediction).
     */
    public static final List<String> PRESETS = List.of("tiny", "small", "base", "gpt2-tiny", "gpt2-small",
            "gpt2-base");
    /**
     * {@code org/name[@revision]} as the engine's {@code HubId} (and {@code huggingface_hub}) accepts it:
     * letters, digits, {@code - _ .}, no {@code --} or {@code ..}, {@code -} and {@code .} neither
     * first nor last, at most 96 characters for {@code org/name}.
     */
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_.\\-]*[A-Za-z0-9_])?");
    private static final Pattern REVISION = Pattern.compile("[A-Za-z0-9_.\\-/]{1,200}");

    public static Optional<ModelRef> parse(String value) {
        if (value.startsWith(PRESET_PREFIX)) {
            String name = value.substring(PRESET_PREFIX.length());
            return PRESETS.contains(name) ? Optional.of(new ModelRef(name, null, null)) : Optional.empty();
        }
        if (isHubId(value)) {
            return Optional.of(new ModelRef(null, null, value));
        }
        try {
            return Optional.of(new ModelRef(null, UUID.fromString(value), null));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code value} is spelled {@code org/name} or {@code org/name@revision}. */
    public static boolean isHubId(String value) {
        int at = value.indexOf('@');
        String repo = at < 0 ? value : value.substring(0, at);
        String[] parts = repo.split("/", -1);
        boolean repoOk = repo.length() <= 96 && !repo.contains("--") && !repo.contains("..") && parts.length == 2
                && PART.matcher(parts[0]).matches() && PART.matcher(parts[1]).matches();
        if (!repoOk || at < 0) {
            return repoOk;
        }
        String revision = value.substring(at + 1);
        return REVISION.matcher(revision).matches() && !revision.contains("..") && !revision.startsWith("/");
    }

    /** The Hub id of a model row's uri ({@code hf://org/name@rev}), empty for a folder. */
    public static Optional<String> hubIdOfUri(String uri) {
        return uri.startsWith(HUB_URI_PREFIX) ? Optional.of(uri.substring(HUB_URI_PREFIX.length())) : Optional.empty();
    }

    public boolean isPreset() {
        return preset != null;
    }

    public boolean isHub() {
        return hub != null;
    }

    @Override
    public String toString() {
        return isPreset() ? PRESET_PREFIX + preset : isHub() ? hub : id.toString();
    }
}
