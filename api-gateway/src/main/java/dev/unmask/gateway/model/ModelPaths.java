package dev.unmask.gateway.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Which server folders may be registered as models and which of their files may be listed and
 * read. Everything is decided on real paths (links resolved): a registered folder lies inside a
 * model root, the files a model load reads (config, weights, tokenizer) lie inside the folder, and
 * a file is listed or served only when it is a plain file directly inside the folder whose real
 * path is inside the folder's real path, so a link can never lead a client to another file of the
 * server (another key's dataset in the artifact store, say). Blocking.
 */
public final class ModelPaths {
    static final String CONFIG = "config.json";
    /** Files a model load may read, besides {@code *.safetensors}. */
    private static final List<String> LOADED = List.of(CONFIG, "model.safetensors.index.json", "tokenizer.json",
            "tokenizer_config.json", "special_tokens_map.json", "vocab.txt", "vocab.json", "merges.txt",
            "generation_config.json", "modules.json");

    private final List<Path> roots;

    public ModelPaths(List<Path> modelRoots) {
        this.roots = modelRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }

    /**
     * The real path of an HF folder a user may register.
     *
     * @throws UnregistrableModelException NOT_ALLOWED outside every root, NOT_A_MODEL
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
        for (String name : loadedFiles(real)) {
            if (resolvedInside(real, real.resolve(name)).isEmpty()) {
                throw notAllowed(raw, "holds " + name + ", which leads outside the folder");
            }
        }
        return real;
    }

    /** The names directly in {@code folder} that a model load reads (present or dangling links too). */
    private static List<String> loadedFiles(Path folder) {
        try (var entries = Files.list(folder)) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(n -> LOADED.contains(n) || n.endsWith(".safetensors")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
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
        if (!folder.equals(file.getParent())) {
            return Optional.empty();
        }
        return realPath(folder).flatMap(real -> resolvedInside(real, file));
    }

    /** The names of the plain files directly inside {@code folder} that {@link #file} would serve, sorted. */
    public List<String> files(Path folder) {
        Optional<Path> real = realPath(folder);
        if (real.isEmpty()) {
            return List.of();
        }
        try (var entries = Files.list(folder)) {
            return entries.filter(p -> resolvedInside(real.get(), p).isPresent())
                    .map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The real path of {@code file} when it is a plain file whose real path lies inside {@code realFolder}. */
    private static Optional<Path> resolvedInside(Path realFolder, Path file) {
        return realPath(file).filter(real -> real.startsWith(realFolder) && !real.equals(realFolder)
                && Files.isRegularFile(real));
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

    private static UnregistrableModelException notAllowed(String raw, String why) {
        return new UnregistrableModelException(UnregistrableModelException.Reason.NOT_ALLOWED, "path '" + raw + "' " + why);
    }

    private static UnregistrableModelException notAModel(String raw, String why) {
        return new UnregistrableModelException(UnregistrableModelException.Reason.NOT_A_MODEL, "path '" + raw + "' " + why);
    }
}
