package dev.unmask.diffusion.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Brings one blob into the cache: under its lock, into {@code blobs/ETAG.incomplete}, resumed
 * with {@code Range} from the bytes already there (a dropped connection is retried from where it
 * stopped, {@code attempts} times in all), checked against its size and ETag, then moved to
 * {@code blobs/ETAG} in one rename. A blob that fails its check is deleted.
 */
final class BlobDownloader {
    private static final int BUFFER = 1 << 16;

    private final HubApi api;
    private final HubCache cache;
    private final int attempts;

    BlobDownloader(HubApi api, HubCache cache, int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
        }
        this.api = api;
        this.cache = cache;
        this.attempts = attempts;
    }

    /** Makes sure {@code blobs/ETAG} holds {@code file}; {@code id} carries the commit as revision. */
    void fetch(HubId id, String file, FileMetadata meta, DownloadListener listener) throws IOException {
        Path blob = cache.blob(id, meta.etag());
        if (Files.isRegularFile(blob)) {
            listener.onProgress(new DownloadProgress(id.repo(), file, Files.size(blob), Files.size(blob), true));
            return;
        }
        try (BlobLock lock = BlobLock.acquire(cache.lockFile(id, meta.etag()))) {
            if (Files.isRegularFile(blob)) { // another process finished it while we waited
                listener.onProgress(new DownloadProgress(id.repo(), file, Files.size(blob), Files.size(blob), true));
                return;
            }
            Path part = cache.incomplete(id, meta.etag());
            download(id, file, meta, part, listener);
            verify(id, file, meta, part);
            Files.move(part, blob, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private void download(HubId id, String file, FileMetadata meta, Path part, DownloadListener listener)
            throws IOException {
        Files.createDirectories(part.getParent());
        for (int attempt = 1; ; attempt++) {
            long have = Files.isRegularFile(part) ? Files.size(part) : 0;
            if (meta.size() >= 0 && have > meta.size()) {
                Files.delete(part);
                have = 0;
            }
            if (meta.size() >= 0 && have == meta.size() && Files.exists(part)) {
                return;
            }
            listener.onProgress(new DownloadProgress(id.repo(), file, have, meta.size(), false));
            try {
                if (stream(id, file, meta, part, have, listener)) {
                    return;
                }
            } catch (HubException e) {
                if (e.kind() != HubException.Kind.UNREACHABLE || attempt >= attempts) {
                    throw e;
                }
            } catch (IOException e) {
                if (attempt >= attempts) {
                    long done = Files.isRegularFile(part) ? Files.size(part) : 0;
                    throw new HubException(HubException.Kind.UNREACHABLE, "the download of " + file + " of " + id
                            + " broke off at " + done + " of " + meta.size() + " bytes (" + e.getMessage()
                            + "); resolving again resumes from there", e);
                }
            }
        }
    }

    /** One GET; true when the file is complete, false when it must start over (416). */
    private boolean stream(HubId id, String file, FileMetadata meta, Path part, long from, DownloadListener listener)
            throws IOException {
        HttpResponse<InputStream> r = api.download(id, file, meta.location(), from);
        try (InputStream in = r.body()) {
            long offset;
            if (r.statusCode() == 206 && from > 0) {
                String range = r.headers().firstValue("Content-Range").orElse("");
                if (!range.startsWith("bytes " + from + "-")) {
                    throw new HubException(HubException.Kind.PROTOCOL, "asked for " + file + " from byte " + from
                            + " and got Content-Range '" + range + "'");
                }
                offset = from;
            } else if (r.statusCode() == 200) {
                offset = 0; // the server ignored Range: start over
            } else if (r.statusCode() == 416) {
                Files.deleteIfExists(part);
                return false;
            } else {
                throw new HubException(HubException.Kind.PROTOCOL, "GET " + meta.location() + " answered HTTP "
                        + r.statusCode() + " for " + file + " of " + id);
            }
            StandardOpenOption mode = offset == 0 ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND;
            try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
                byte[] buffer = new byte[BUFFER];
                long done = offset;
                long reported = offset;
                for (int n; (n = in.read(buffer)) > 0; ) {
                    out.write(buffer, 0, n);
                    done += n;
                    if (done - reported >= DownloadListener.STEP_BYTES) {
                        listener.onProgress(new DownloadProgress(id.repo(), file, done, meta.size(), false));
                        reported = done;
                    }
                }
                listener.onProgress(new DownloadProgress(id.repo(), file, done, meta.size() >= 0 ? meta.size() : done, false));
            }
            return true;
        }
    }

    private static void verify(HubId id, String file, FileMetadata meta, Path part) throws IOException {
        long size = Files.size(part);
        if (meta.size() >= 0 && size != meta.size()) {
            Files.delete(part);
            throw new HubException(HubException.Kind.CORRUPT, file + " of " + id + " is corrupt: expected "
                    + meta.size() + " bytes, got " + size + "; the download was deleted, resolving again starts over");
        }
        BlobChecksum checksum = BlobChecksum.forEtag(meta.etag(), size);
        if (!checksum.verifiable()) {
            return;
        }
        try (InputStream in = Files.newInputStream(part)) {
            byte[] buffer = new byte[BUFFER];
            for (int n; (n = in.read(buffer)) > 0; ) {
                checksum.update(buffer, 0, n);
            }
        }
        String actual = checksum.actual();
        if (!actual.equals(checksum.expected())) {
            Files.delete(part);
            throw new HubException(HubException.Kind.CORRUPT, file + " of " + id + " is corrupt: expected "
                    + checksum.algorithm() + " " + checksum.expected() + ", got " + actual
                    + "; the download was deleted, resolving again starts over");
        }
    }
}
