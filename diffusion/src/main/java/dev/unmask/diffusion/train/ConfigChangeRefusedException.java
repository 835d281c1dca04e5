package dev.unmask.diffusion.train;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** A resume refused because the run asked for now is not the run its checkpoint belongs to. */
public final class ConfigChangeRefusedException extends IllegalArgumentException {
    private final transient List<ConfigDifference> differences;

    public ConfigChangeRefusedException(Path checkpoint, List<ConfigDifference> differences, boolean changesAllowed) {
        super("cannot resume from " + checkpoint + ": it was written by a run with another configuration ("
                + differences.stream().map(ConfigDifference::toString).collect(Collectors.joining("; "))
                + "); resume with the checkpoint's values or train into a new output folder"
                + (changesAllowed ? "" : "; --allow-config-change permits changing only "
                        + String.join(", ", RunConfig.SAFE_TO_CHANGE.stream().sorted().toList())));
        this.differences = List.copyOf(differences);
    }

    /** The differing fields, each with the checkpoint's value (expected) and the value asked for (actual). */
    public List<ConfigDifference> differences() {
        return differences;
    }
}
