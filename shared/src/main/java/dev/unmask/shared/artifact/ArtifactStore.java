package dev.unmask.shared.artifact;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Where datasets, checkpoints and produced models live: a directory that every gateway and
 * worker sees at the same path (a shared volume in a deployment). Rows store absolute paths.
 *
 * <pre>
 * ROOT/datasets/{id}.txt | {id}.jsonl     uploaded corpora
 * ROOT/jobs/{id}/                         a training job's output: the model, checkpoint-NNNNNN/, eval.json
 * </pre>
 */
public final class ArtifactStore {
    private final Path root;

    public ArtifactStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.root.resolve("datasets"));
            Files.createDirectories(this.root.resolve("jobs"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the artifact store at " + this.root, e);
        }
    }

    public Path root() {
        return root;
    }

    /** The file of an uploaded dataset. */
    public Path datasetFile(UUID id, String format) {
        return root.resolve("datasets").resolve(id + ("jsonl".equals(format) ? ".jsonl" : ".txt"));
    }

    /** A training job's output folder (the same on every worker, so a resumed job finds its checkpoints). */
    public Path jobOutput(UUID jobId) {
        return root.resolve("jobs").resolve(jobId.toString());
    }

    /**
     * How the API names what a row's uri points at: its path relative to the store, with {@code /}
     * separators ({@code jobs/{id}/checkpoint-000100}); never an absolute server path. Something
     * outside the store is named by its file name only.
     */
    public String reference(String uri) {
        Path path = Path.of(uri).toAbsolutePath().normalize();
        if (path.startsWith(root) && !path.equals(root)) {
            return root.relativize(path).toString().replace(java.io.File.separatorChar, '/');
        }
        return path.getFileName() == null ? "" : path.getFileName().toString();
    }

    /**
     * {@code message} with every absolute path into the store written relative to it (as
     * {@link #reference} names it): for texts clients read, such as a job's error message.
     */
    public String redact(String message) {
        return message == null ? null : message.replace(root + java.io.File.separator, "").replace(root.toString(), ".");
    }

    /** The path a row's uri names. */
    public static Path path(String uri) {
        return Path.of(uri);
    }
}
