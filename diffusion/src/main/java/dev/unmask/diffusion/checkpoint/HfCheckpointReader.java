package dev.unmask.diffusion.checkpoint;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.diffusion.model.EncoderConfig;
import dev.unmask.diffusion.model.InvalidConfigException;
import dev.unmask.diffusion.model.MaskedLanguageModel;
import dev.unmask.diffusion.model.ModelFamily;
import dev.unmask.diffusion.model.ModelInitializer;
import dev.unmask.diffusion.model.ModelType;
import dev.unmask.diffusion.model.ParameterLayout;
import dev.unmask.diffusion.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads an HF checkpoint folder ({@code config.json} + {@code model.safetensors}, or shards
 * listed in {@code model.safetensors.index.json}) into a {@link MaskedLanguageModel}. Every
 * missing, unexpected or misshapen tensor is reported at once, by name and shape. Base-model
 * tensor names without the family prefix ({@code embeddings.}, {@code encoder.}) are read as
 * prefixed ones; a sentence-transformers folder is read from its Transformer module's folder.
 */
public final class HfCheckpointReader {
    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";
    public static final String INDEX = "model.safetensors.index.json";

    /** Where the tensors of a base model ({@code BertModel}, {@code RobertaModel}) start. */
    private static final List<String> BASE_MODEL_PREFIXES = List.of("embeddings.", "encoder.", "pooler.");

    private HfCheckpointReader() {}

    /**
     * A complete checkpoint, head included: what generation needs. A headless encoder is refused
     * with an error naming the head it lacks.
     *
     * @param parent the manager the model's own manager is created under
     * @param dataType FLOAT32 or FLOAT16: the type the model computes in
     */
    public static MaskedLanguageModel load(Path dir, NDManager parent, Device device, DataType dataType)
            throws IOException {
        return read(dir, parent, device, dataType, null).model();
    }

    /**
     * A checkpoint to train: complete, or a headless encoder ({@code BertModel},
     * {@code RobertaModel}, a sentence-transformers folder) whose masked-LM head is initialised
     * fresh as {@code transformers} does ({@link ModelInitializer#initializeMissing}).
     *
     * @param seed seeds the fresh head
     */
    public static LoadedCheckpoint loadForTraining(Path dir, NDManager parent, Device device, DataType dataType,
            long seed) throws IOException {
        return read(dir, parent, device, dataType, seed);
    }

    /** @param headSeed null: a missing head is an error; else the seed of a fresh head */
    private static LoadedCheckpoint read(Path folder, NDManager parent, Device device, DataType dataType,
            Long headSeed) throws IOException {
        Path dir = SentenceTransformersLayout.transformerDir(folder);
        EncoderConfig config = readConfig(dir);
        ParameterLayout layout = ParameterLayout.of(config);
        CheckpointTensors.Naming naming = new CheckpointTensors.Naming(
                name -> canonicalName(name, config.modelType()), name -> ignored(name, config));
        List<String> initialised = new ArrayList<>();
        CheckpointTensors.Missing head = (missing, problems, manager) -> {
            List<String> names = layout.headNames();
            if (!missing.containsAll(names)) {
                return Map.of(); // not a headless encoder: whatever is missing is reported
            }
            missing.removeAll(names);
            if (headSeed == null) {
                problems.add("no masked-LM head: " + String.join(", ", names) + " are missing; a headless"
                        + " encoder trains (./unmask train gives it a fresh head) but cannot generate"
                        + " or be evaluated");
                return Map.of();
            }
            if (!problems.isEmpty() || !missing.isEmpty()) {
                return Map.of(); // the rest of the encoder is not whole: that is what gets reported
            }
            initialised.addAll(names);
            return ModelInitializer.initializeMissing(config, names, manager, dataType, headSeed);
        };
        MaskedLanguageModel model = CheckpointTensors.load(dir, layout.specs(), naming, head, parent, device,
                dataType, (params, manager) -> MaskedLanguageModel.of(config, params, manager));
        return new LoadedCheckpoint(model, initialised);
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

    /**
     * Which family a checkpoint folder's model is, from its {@code config.json}'s {@code model_type}
     * (a sentence-transformers folder's: its Transformer module's).
     */
    public static ModelFamily family(Path dir) throws IOException {
        Path configFile = configFile(SentenceTransformersLayout.transformerDir(dir));
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

    /**
     * Old and alternative spellings mapped to the names of {@link ParameterLayout}; also the
     * parameter a parity file's gradient norm of an alias (lm_head.decoder.bias) belongs to.
     */
    public static String canonicalName(String name, ModelType type) {
        if (type.headBiasAliases().contains(name)) {
            return type.headBias();
        }
        if (BASE_MODEL_PREFIXES.stream().anyMatch(name::startsWith)) {
            name = type.hfName() + "." + name; // BertModel / RobertaModel.save_pretrained: no family prefix
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
