package dev.unmask.diffusion.checkpoint;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.diffusion.model.EncoderConfig;
import dev.unmask.diffusion.model.InvalidConfigException;
import dev.unmask.diffusion.model.MaskedLanguageModel;
import dev.unmask.diffusion.model.ModelFamily;
import dev.unmask.diffusion.model.ModelType;
import dev.unmask.diffusion.model.ParameterLayout;
import dev.unmask.diffusion.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Loads an HF checkpoint folder ({@code config.json} + {@code model.safetensors}, or shards
 * listed in {@code model.safetensors.index.json}) into a {@link MaskedLanguageModel}. Every
 * missing, unexpected or misshapen tensor is reported at once, by name and shape.
 */
public final class HfCheckpointReader {
    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";
    public static final String INDEX = "model.safetensors.index.json";

    private HfCheckpointReader() {}

    /**
     * @param parent the manager the model's own manager is created under
     * @param dataType FLOAT32 or FLOAT16: the type the model computes in
     */
    public static MaskedLanguageModel load(Path dir, NDManager parent, Device device, DataType dataType)
            throws IOException {
        EncoderConfig config = readConfig(dir);
        CheckpointTensors.Naming naming = new CheckpointTensors.Naming(
                name -> canonicalName(name, config.modelType()), name -> ignored(name, config));
        return CheckpointTensors.load(dir, ParameterLayout.of(config).specs(), naming, parent, device, dataType,
                (params, manager) -> MaskedLanguageModel.of(config, params, manager));
    }

    /** The encoder config of a checkpoint folder. */
    public static EncoderConfig readConfig(Path dir) throws IOException {
        Path configFile = configFile(dir);
        try {
            return EncoderConfig.read(configFile);
        } catch (InvalidConfigException e) {
            throw new CheckpointException(e.getMessage(), e);
        }
    }

    /** Which family a checkpoint folder's model is, from its {@code config.json}'s {@code model_type}. */
    public static ModelFamily family(Path dir) throws IOException {
        Path configFile = configFile(dir);
        JsonNode type = Json.read(configFile).path("model_type");
        try {
            return ModelFamily.fromHf(type.isTextual() ? type.asText() : String.valueOf(type));
        } catch (InvalidConfigException e) {
            throw new CheckpointException(e.in(configFile).getMessage(), e);
        }
    }

    /** {@code DIR/config.json}, or an error naming what is missing. */
    static Path configFile(Path dir) throws CheckpointException {
        if (!Files.isDirectory(dir)) {
            throw new CheckpointException(dir + " is not a directory");
        }
        Path configFile = dir.resolve(CONFIG);
        if (!Files.isRegularFile(configFile)) {
            throw new CheckpointException(dir + " has no " + CONFIG);
        }
        return configFile;
    }

    /** The safetensors files of a checkpoint: one, or the shards its index lists. */
    public static List<Path> weightFiles(Path dir) throws IOException {
        Path index = dir.resolve(INDEX);
        if (Files.isRegularFile(index)) {
            JsonNode weightMap = Json.read(index).path("weight_map");
            if (!weightMap.isObject() || weightMap.isEmpty()) {
                throw new CheckpointException(index + " has no weight_map");
            }
            Set<String> shards = new LinkedHashSet<>();
            weightMap.fields().forEachRemaining(e -> shards.add(e.getValue().asText()));
            List<Path> files = new ArrayList<>();
            for (String shard : shards) {
                Path file = dir.resolve(shard).normalize();
                if (!file.startsWith(dir.normalize()) || !Files.isRegularFile(file)) {
                    throw new CheckpointException(index + " lists shard " + shard + ", which is not in " + dir);
                }
                files.add(file);
            }
            return files;
        }
        Path single = dir.resolve(WEIGHTS);
        if (Files.isRegularFile(single)) {
            return List.of(single);
        }
        if (Files.exists(dir.resolve("pytorch_model.bin"))) {
            throw new CheckpointException(dir + " holds pytorch_model.bin only; Unmask reads safetensors."
                    + " Convert it once with transformers: model.save_pretrained(dir, safe_serialization=True)");
        }
        throw new CheckpointException(dir + " has neither " + WEIGHTS + " nor " + INDEX);
    }

    /** Old and alternative spellings mapped to the names of {@link ParameterLayout}. */
    static String canonicalName(String name, ModelType type) {
        if (type.headBiasAliases().contains(name)) {
            return type.headBias();
        }
        if (name.endsWith("LayerNorm.gamma")) {
            return name.substring(0, name.length() - "gamma".length()) + "weight";
        }
        if (name.endsWith("LayerNorm.beta")) {
            return name.substring(0, name.length() - "beta".length()) + "bias";
        }
        return name;
    }

    /** Tensors of other heads, buffers, and the decoder weight of a tied model. */
    private static boolean ignored(String name, EncoderConfig config) {
        ModelType type = config.modelType();
        if (config.tieWordEmbeddings() && name.equals(type.decoderWeight())) {
            return true;
        }
        return type.ignoredPrefixes().stream().anyMatch(name::startsWith);
    }
}
