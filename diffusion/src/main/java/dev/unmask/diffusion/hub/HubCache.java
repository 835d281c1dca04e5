package dev.unmask.diffusion.hub;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.diffusion.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The Hub cache on disk, laid out exactly as {@code huggingface_hub} lays it out, so that either
 * side uses what the other filled:
 * <pre>
 * CACHE/models--org--name/blobs/ETAG               file bytes, named by their ETag
 * CACHE/models--org--name/blobs/ETAG.incomplete    a download in progress (resumed from its length)
 * CACHE/models--org--name/refs/REVISION            the commit hash a branch or tag pointed to
 * CACHE/models--org--name/snapshots/COMMIT/FILE    relative symlink to ../../blobs/ETAG
 * CACHE/models--org--name/.no_exist/COMMIT/FILE   empty: FILE is known not to exist at COMMIT
 * CACHE/models--org--name/trees/COMMIT.json       the commit's file listing (huggingface_hub 2.x writes it)
 * CACHE/.locks/models--org--name/ETAG.lock         held while a blob is downloaded
 * </pre>
 */
public record HubCache(Path root) {
    public static final String INCOMPLETE = ".incomplete";

    public Path repoDir(HubId id) {
        return root.resolve(id.folderName());
    }

    public Path blob(HubId id, String etag) {
        return repoDir(id).resolve("blobs").resolve(checkedName(etag));
    }

    public Path incomplete(HubId id, String etag) {
        return repoDir(id).resolve("blobs").resolve(checkedName(etag) + INCOMPLETE);
    }

    public Path lockFile(HubId id, String etag) {
        return root.resolve(".locks").resolve(id.folderName()).resolve(checkedName(etag) + ".lock");
    }

    public Path snapshot(HubId id, String commit) {
        return repoDir(id).resolve("snapshots").resolve(checkedName(commit));
    }

    /** {@code snapshots/COMMIT/FILE}, refusing a file name that would leave the snapshot. */
    public Path snapshotFile(HubId id, String commit, String file) throws HubException {
        Path dir = snapshot(id, commit);
        Path path = dir.resolve(file).normalize();
        if (!path.startsWith(dir) || path.equals(dir) || file.startsWith("/")) {
            throw new HubException(HubException.Kind.PROTOCOL, id.repo() + " lists a file outside its snapshot: " + file);
        }
        return path;
    }

    /** The marker {@code huggingface_hub} leaves for a file it asked for that the commit does not have. */
    public Path noExist(HubId id, String commit, String file) throws HubException {
        Path dir = repoDir(id).resolve(".no_exist").resolve(checkedName(commit));
        Path path = dir.resolve(file).normalize();
        if (!path.startsWith(dir) || path.equals(dir)) {
            throw new HubException(HubException.Kind.PROTOCOL, "'" + file + "' cannot name a file of " + id.repo());
        }
        return path;
    }

    /**
     * The files of {@code commit} as listed in {@code trees/COMMIT.json}, when a {@code huggingface_hub}
     * that keeps such listings ({@code {"format_version": 1, "files": {PATH: {...}}}}) filled the cache.
     */
    public Optional<Set<String>> listing(HubId id, String commit) {
        Path file = repoDir(id).resolve("trees").resolve(checkedName(commit) + ".json");
        try {
            JsonNode json = Files.isRegularFile(file) ? Json.read(file) : null;
            if (json == null || json.path("format_version").asInt() != 1 || !json.path("files").isObject()) {
                return Optional.empty();
            }
            Set<String> files = new HashSet<>();
            json.get("files").fieldNames().forEachRemaining(files::add);
            return Optional.of(files);
        } catch (IOException e) {
            return Optional.empty(); // unreadable: as if not there, the Hub is asked instead
        }
    }

    /** Leaves the {@code .no_exist} marker for {@code file} at {@code commit}. */
    public void markNoExist(HubId id, String commit, String file) throws IOException {
        Path marker = noExist(id, commit, file);
        Files.createDirectories(marker.getParent());
        if (!Files.exists(marker)) {
            Files.write(marker, new byte[0]);
        }
    }

    /**
     * The commit a revision stands for in the cache: the revision itself when it is a commit hash,
     * else what {@code refs/REVISION} holds.
     */
    public Optional<String> commitOf(HubId id) throws IOException {
        if (id.pinnedToCommit()) {
            return Optional.of(id.revision());
        }
        Path ref = repoDir(id).resolve("refs").resolve(id.revision()).normalize();
        if (!ref.startsWith(repoDir(id).resolve("refs")) || !Files.isRegularFile(ref)) {
            return Optional.empty();
        }
        String commit = Files.readString(ref, StandardCharsets.UTF_8).strip();
        return commit.isEmpty() ? Optional.empty() : Optional.of(commit);
    }

    /** Records that {@code id.revision()} is {@code commit} (not written for a commit hash, as in Python). */
    public void writeRef(HubId id, String commit) throws IOException {
        if (id.revision().equals(commit)) {
            return;
        }
        Path ref = repoDir(id).resolve("refs").resolve(id.revision()).normalize();
        Files.createDirectories(ref.getParent());
        Path tmp = ref.resolveSibling(ref.getFileName() + "." + UUID.randomUUID() + ".tmp");
        Files.writeString(tmp, commit, StandardCharsets.UTF_8);
        Files.move(tmp, ref, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Points {@code snapshots/COMMIT/FILE} at {@code blobs/ETAG} with a relative symlink, made under
     * a temporary name and moved into place, so a reader never sees a half-made link. Where the
     * file system has no symlinks the blob is copied, as {@code huggingface_hub} falls back to.
     */
    public Path link(HubId id, String commit, String file, String etag) throws IOException {
        Path pointer = snapshotFile(id, commit, file);
        Path blob = blob(id, etag);
        Files.createDirectories(pointer.getParent());
        Path target = pointer.getParent().relativize(blob);
        if (Files.isSymbolicLink(pointer) && Files.readSymbolicLink(pointer).equals(target)) {
            return pointer;
        }
        Path tmp = pointer.resolveSibling("." + pointer.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createSymbolicLink(tmp, target);
        } catch (UnsupportedOperationException | FileSystemException e) {
            Files.copy(blob, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(tmp, pointer, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return pointer;
    }

    private static String checkedName(String name) {
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new IllegalArgumentException("'" + name + "' cannot name a file in the Hub cache");
        }
        return name;
    }
}
