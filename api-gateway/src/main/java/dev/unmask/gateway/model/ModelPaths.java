package dev.unmask.gateway.model;

import dev.unmask.gateway.http.ApiException;
import dev.unmask.gateway.http.ProblemCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which server folders may be registered as models (those inside a configured model root, after
 * normalising and resolving links) and which files of a model folder may be read (plain files
 * directly inside it whose real path stays inside a model root or the artifact store). Blocking.
 */
public final class ModelPaths {
    static final String CONFIG = "config.json";

    private final List<Path> roots;
    private final Path artifactRoot;

    public ModelPaths(List<Path> modelRoots, Path artifactRoot) {
        this.roots = modelRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        this.artifactRoot = artifactRoot.toAbsolutePath().normalize();
    }

    /**
     * The real path of an HF folder a user may register.
     *
     * @throws ApiException 403 {@code path_not_allowed} outside every root, 422 {@code not_a_model}
     *     when it is not a folder holding {@code config.json}
     */
    public Path registrable(String raw) {
        Path path;
        try {
            path = Path.of(raw);
        } catch (InvalidPathException e) {
            throw notAllowed(raw, "is not a valid path");
        }
        if (!path.isAbsolute()) {
            throw notAllowed(raw, "must be an absolute path");
        }
        Path normal = path.normalize();
        if (!inside(normal, roots)) {
            throw notAllowed(raw, "is not inside a model root of this server");
        }
        if (!Files.isDirectory(normal)) {
            throw notAModel(raw, "is not a folder on the server");
        }
        Path real = realPath(normal).orElseThrow(() -> notAModel(raw, "cannot be read"));
        if (!inside(real, realRoots())) {
            throw notAllowed(raw, "leads outside the model roots");
        }
        if (!Files.isRegularFile(real.resolve(CONFIG))) {
            throw notAModel(raw, "holds no " + CONFIG + " (not a Hugging Face model folder)");
        }
        return real;
    }

    /** A plain file directly inside {@code folder}, if {@code name} names one that may be read. */
    public Optional<Path> file(Path folder, String name) {
        if (name == null || name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0
                || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        Path file;
        try {
            file = folder.resolve(name);
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
        if (!folder.equals(file.getParent()) || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        List<Path> allowed = new ArrayList<>(realRoots());
        realPath(artifactRoot).ifPresent(allowed::add);
        return realPath(file).filter(real -> inside(real, allowed));
    }

    /** The names of the plain files directly inside {@code folder}, sorted. */
    public List<String> files(Path folder) {
        try (var entries = Files.list(folder)) {
            return entries.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private List<Path> realRoots() {
        return roots.stream().map(ModelPaths::realPath).flatMap(Optional::stream).toList();
    }

    private static boolean inside(Path path, List<Path> bases) {
        return bases.stream().anyMatch(path::startsWith);
    }

    private static Optional<Path> realPath(Path path) {
        try {
            return Optional.of(path.toRealPath());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static ApiException notAllowed(String raw, String why) {
        return new ApiException(403, ProblemCode.PATH_NOT_ALLOWED, "path '" + raw + "' " + why);
    }

    private static ApiException notAModel(String raw, String why) {
        return new ApiException(422, ProblemCode.NOT_A_MODEL, "path '" + raw + "' " + why);
    }
}
