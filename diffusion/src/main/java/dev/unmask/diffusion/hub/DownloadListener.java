package dev.unmask.diffusion.hub;

/**
 * Told how downloads advance: at the start of each file, at most every {@link #STEP_BYTES}
 * bytes while it streams, and once when it is complete. Called on the downloading thread.
 */
@FunctionalInterface
public interface DownloadListener {
    long STEP_BYTES = 4L << 20;

    DownloadListener NONE = p -> { };

    void onProgress(DownloadProgress progress);
}
