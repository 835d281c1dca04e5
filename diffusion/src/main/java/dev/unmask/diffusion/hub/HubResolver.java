package dev.unmask.diffusion.hub;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a Hub id into a snapshot folder of the HF cache that {@code HfCheckpointReader} and
 * {@code TextTokenizer} read like any local folder.
 *
 * <p>The cache answers first: a revision whose snapshot already holds every file a load needs
 * (a commit hash, or a branch or tag recorded in {@code refs/}) is used without a request, so a
 * branch is pinned to the commit it had when first fetched; name the commit, or delete
 * {@code refs/BRANCH}, to move on. Otherwise the Hub lists the revision's files, and each file the
 * load needs is brought in by {@link BlobDownloader} and linked into
 * {@code snapshots/COMMIT/}. With {@code HF_HUB_OFFLINE} the Hub is never asked, and a snapshot
 * with a config and its weights is used as it is; when the Hub cannot be reached, the same
 * snapshot is used, as {@code huggingface_hub} falls back to it.
 */
public final class HubResolver {
    /** Tries per file: the first, and resumptions after a dropped connection. */
    public static final int DEFAULT_ATTEMPTS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(HubResolver.class);

    private final HubEnvironment env;
    private final HubCache cache;
    private final HubApi api;
    private final BlobDownloader downloader;

    public HubResolver(HubEnvironment env) {
        this(env, HubApi.defaultClient(), DEFAULT_ATTEMPTS);
    }

    /** {@code attempts} per file (at least 1); tests pass their own client and count. */
    public HubResolver(HubEnvironment env, HttpClient client, int attempts) {
        this.env = env;
        this.cache = new HubCache(env.cacheDir());
        this.api = new HubApi(env, client);
        this.downloader = new BlobDownloader(api, cache, attempts);
    }

    public HubEnvironment environment() {
        return env;
    }

    /** The snapshot folder of {@code id} with the files a model load needs. */
    public Path resolve(HubId id, DownloadListener listener) throws HubException {
        return resolve(id, ModelFiles.MODEL, listener);
    }

    public Path resolve(HubId id, ModelFiles files, DownloadListener listener) throws HubException {
        try {
            Optional<String> cachedCommit = cache.commitOf(id);
            if (cachedCommit.isPresent() && files.missing(cache, id, cachedCommit.get(), true).isEmpty()) {
                LOG.debug("{} served from the cache {} (commit {})", id, env.cacheDir(), cachedCommit.get());
                return cache.snapshot(id, cachedCommit.get());
            }
            if (env.offline()) {
                return offline(id, files, cachedCommit);
            }
            RepoInfo info;
            try {
                info = api.modelInfo(id);
            } catch (HubException e) {
                if (e.kind() == HubException.Kind.UNREACHABLE && cachedCommit.isPresent()
                        && files.missing(cache, id, cachedCommit.get(), false).isEmpty()) {
                    LOG.warn("{}; using the cached snapshot {} of {}", e.getMessage(), cachedCommit.get(), id);
                    return cache.snapshot(id, cachedCommit.get());
                }
                throw e;
            }
            return download(id, info, files, listener);
        } catch (HubException e) {
            throw e;
        } catch (IOException e) {
            throw new HubException(HubException.Kind.PROTOCOL, "cannot use the Hub cache " + env.cacheDir()
                    + " for " + id + ": " + e.getMessage(), e);
        }
    }

    private Path download(HubId id, RepoInfo info, ModelFiles files, DownloadListener listener) throws IOException {
        String commit = info.sha();
        cache.writeRef(id, commit);
        HubId atCommit = id.withRevision(commit);
        List<String> wanted = files.firstPass(id, info.files());
        for (String file : wanted) {
            fetch(atCommit, file, listener);
        }
        if (wanted.contains(ModelFiles.INDEX)) {
            Path index = cache.snapshotFile(id, commit, ModelFiles.INDEX);
            for (String shard : ModelFiles.shards(id, index, info.files())) {
                fetch(atCommit, shard, listener);
            }
        }
        for (String file : ModelFiles.OPTIONAL) {
            if (!info.files().contains(file)) {
                cache.markNoExist(id, commit, file);
            }
        }
        return cache.snapshot(id, commit);
    }

    private void fetch(HubId atCommit, String file, DownloadListener listener) throws IOException {
        Path pointer = cache.snapshotFile(atCommit, atCommit.revision(), file);
        if (Files.isRegularFile(pointer)) {
            long size = Files.size(pointer);
            listener.onProgress(new DownloadProgress(atCommit.repo(), file, size, size, true));
            return;
        }
        FileMetadata meta = api.fileMetadata(atCommit, file);
        if (!meta.commit().equals(atCommit.revision())) {
            throw new HubException(HubException.Kind.PROTOCOL, file + " of " + atCommit.repo() + " resolved to commit "
                    + meta.commit() + ", not " + atCommit.revision());
        }
        downloader.fetch(atCommit, file, meta, listener);
        cache.link(atCommit, atCommit.revision(), file, meta.etag());
    }

    private Path offline(HubId id, ModelFiles files, Optional<String> cachedCommit) throws IOException {
        if (cachedCommit.isEmpty()) {
            throw new HubException(HubException.Kind.NOT_CACHED, "HF_HUB_OFFLINE is set and the Hub cache "
                    + env.cacheDir() + " has no " + id + " (no " + cache.repoDir(id).resolve("refs").resolve(id.revision())
                    + "); resolve it once online, or unset HF_HUB_OFFLINE");
        }
        List<String> missing = files.missing(cache, id, cachedCommit.get(), false);
        if (!missing.isEmpty()) {
            throw new HubException(HubException.Kind.NOT_CACHED, "HF_HUB_OFFLINE is set and the cached snapshot "
                    + cache.snapshot(id, cachedCommit.get()) + " of " + id + " lacks " + String.join(", ", missing)
                    + "; resolve it once online, or unset HF_HUB_OFFLINE");
        }
        return cache.snapshot(id, cachedCommit.get());
    }
}
