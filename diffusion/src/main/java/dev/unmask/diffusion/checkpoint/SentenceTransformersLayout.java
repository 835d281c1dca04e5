package dev.unmask.diffusion.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.diffusion.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A sentence-transformers folder: {@code modules.json} lists its modules (Transformer, Pooling,
 * Normalize, ...), and the Transformer module's {@code path} is the HF folder of the encoder: the
 * folder itself ({@code ""}, as sentence-transformers 2.x+ saves) or a subfolder
 * ({@code 0_Transformer}, as older versions do). Any other folder is its own HF folder.
 */
public final class SentenceTransformersLayout {
    public static final String MODULES = "modules.json";

    private SentenceTransformersLayout() {}

    /** The HF folder of the encoder in {@code dir}: {@code dir} unless its modules.json points elsewhere. */
    public static Path transformerDir(Path dir) throws IOException {
        Path modules = dir.resolve(MODULES);
        if (!Files.isRegularFile(modules)) {
            return dir;
        }
        JsonNode list = Json.read(modules);
        if (!list.isArray()) {
            throw new CheckpointException(modules + " must hold a JSON array of modules");
        }
        List<String> types = new ArrayList<>();
        for (JsonNode module : list) {
            String type = module.path("type").asText("");
            types.add(type);
            if (!type.endsWith(".Transformer")) {
                continue;
            }
            String path = module.path("path").asText("");
            Path target = dir.resolve(path).normalize();
            if (!target.startsWith(dir.normalize()) || !Files.isDirectory(target)) {
                throw new CheckpointException(modules + " puts its Transformer module at \"" + path
                        + "\", which is not a folder inside " + dir);
            }
            return target;
        }
        throw new CheckpointException(modules + " lists no sentence_transformers.models.Transformer module"
                + " (it lists " + types + ")");
    }
}
