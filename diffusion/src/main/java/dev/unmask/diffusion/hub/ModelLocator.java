package dev.unmask.diffusion.hub;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a model named by a user lives: a local folder when one of that name exists (it wins over
 * a Hub id of the same spelling), else, for a name spelled {@code org/name[@revision]}, the
 * Hub snapshot it resolves to. Any other name is returned as a path, for the reader to report.
 */
public final class ModelLocator {
    private final HubResolver hub;
    private final Path workingDir;

    /** {@code workingDir} is what relative names are relative to ({@code Path.of("")} for the process's). */
    public ModelLocator(HubResolver hub, Path workingDir) {
        this.hub = hub;
        this.workingDir = workingDir;
    }

    public Path locate(String name, DownloadListener listener) throws HubException {
        Path local = workingDir.resolve(name);
        if (Files.exists(local) || !HubId.looksLike(name)) {
            return local;
        }
        try {
            return hub.resolve(HubId.parse(name), listener);
        } catch (HubException e) {
            throw new HubException(e.kind(), "'" + name + "' is not a local folder, and as a Hub id: " + e.getMessage(), e);
        }
    }
}
