package dev.unmask.diffusion.hub;

/**
 * One file's download so far: {@code bytesDone} of {@code bytesTotal} ({@code -1} when the Hub
 * did not say). {@code fromCache} is true for a file that was already in the cache.
 */
public record DownloadProgress(String repo, String file, long bytesDone, long bytesTotal, boolean fromCache) {
    public boolean finished() {
        return bytesTotal >= 0 && bytesDone >= bytesTotal;
    }
}
