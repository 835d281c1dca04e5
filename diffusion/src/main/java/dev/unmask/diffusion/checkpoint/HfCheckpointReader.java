package dev.unmask.diffusion.checkpoint;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.diffusion.model.EncoderConfig;
import dev.unmask.diffusion.model.InvalidConfigException;
import dev.unmask.diffusion.model.MaskedLanguageModel;
import dev.unmask.diffusion.model.ModelInitializer;
import dev.unmask.diffusion.model.ModelType;
import dev.unmask.diffusion.model.ParameterLayout;
import dev.unmask.diffusion.model.ParameterSpec;
import dev.unmask.diffusion.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
        if (dataType != DataType.FLOAT32 && dataType != DataType.FLOAT16) {
            throw new IllegalArgumentException("models compute in float32 or float16, not " + dataType);
        }
        Path dir = SentenceTransformersLayout.transformerDir(folder);
        EncoderConfig config = readConfig(dir);
        List<Path> files = weightFiles(dir);
        ParameterLayout layout = ParameterLayout.of(config);
        NDManager manager = parent.newSubManager(device);
        try {
            Map<String, NDArray> params = new LinkedHashMap<>();
            List<String> problems = new ArrayList<>();
            for (Path file : files) {
                try (SafetensorsReader reader = SafetensorsReader.open(file)) {
                    readFile(reader, layout, device, dataType, manager, params, problems);
                }
            }
            List<String> missing = new ArrayList<>();
            for (ParameterSpec spec : layout.specs().values()) {
                if (!params.containsKey(spec.name()) && !hasProblem(problems, spec.name())) {
                    missing.add(spec.name());
                }
            }
            List<String> head = layout.headNames();
            List<String> initialised = List.of();
            if (missing.containsAll(head)) { // a headless encoder
                missing.removeAll(head);
                if (headSeed == null) {
                    problems.add("no masked-LM head: " + String.join(", ", head) + " are missing; a headless"
                            + " encoder trains (./unmask train gives it a fresh head) but cannot generate"
                            + " or be evaluated");
                } else if (problems.isEmpty() && missing.isEmpty()) {
                    params.putAll(ModelInitializer.initializeMissing(config, head, manager, dataType, headSeed));
                    initialised = head;
                }
            }
            for (String name : missing) {
                problems.add("missing tensor " + name + " (expected shape " + layout.spec(name).shape() + ")");
            }
            if (!problems.isEmpty()) {
                throw new CheckpointException(dir + ": " + String.join("; ", problems));
            }
            return new LoadedCheckpoint(MaskedLanguageModel.of(config, params, manager), initialised);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** The encoder config of a checkpoint folder. */
    public static EncoderConfig readConfig(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new CheckpointException(dir + " is not a directory");
        }
        Path configFile = dir.resolve(CONFIG);
        if (!Files.isRegularFile(configFile)) {
            throw new CheckpointException(dir + " has no " + CONFIG);
        }
        try {
            return EncoderConfig.read(configFile);
        } catch (InvalidConfigException e) {
            throw new CheckpointException(e.getMessage(), e);
        }
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

    private static void readFile(SafetensorsReader reader, ParameterLayout layout, Device device,
            DataType dataType, NDManager manager, Map<String, NDArray> params, List<String> problems)
            throws IOException {
        EncoderConfig config = layout.config();
        ModelType type = config.modelType();
        for (TensorEntry entry : reader.entries().values()) {
            String name = canonicalName(entry.name(), type);
            if (!layout.specs().containsKey(name)) {
                if (ignored(name, config)) {
                    continue;
                }
                problems.add("unexpected tensor " + entry.name() + " " + entry.shape() + " in "
                        + reader.file().getFileName());
                continue;
            }
            ParameterSpec spec = layout.spec(name);
            if (!entry.shape().equals(spec.shape())) {
                problems.add("tensor " + entry.name() + " has shape " + entry.shape()
                        + ", expected " + spec.shape());
                continue;
            }
            NDArray array = toModel(reader.read(entry.name(), manager), device, dataType);
            NDArray earlier = params.get(name);
            if (earlier == null) {
                params.put(name, array);
                continue;
            }
            // an alias of a tensor already read: transformers 5.x saves the one output bias of an
            // untied head under both lm_head.bias and lm_head.decoder.bias
            if (!earlier.contentEquals(array)) {
                String other = entry.name().equals(name) ? String.join(", ", type.headBiasAliases()) : name;
                problems.add("tensors " + other + " and " + entry.name()
                        + " differ; they must be equal (one tied tensor saved under two names)");
            }
            array.close();
        }
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

    private static NDArray toModel(NDArray array, Device device, DataType dataType) {
        NDArray typed = array.getDataType() == dataType ? array : array.toType(dataType, false);
        NDArray placed = typed.toDevice(device, false);
        if (typed != array) {
            array.close();
        }
        if (placed != typed) {
            typed.close();
        }
        return placed;
    }

    private static boolean hasProblem(List<String> problems, String name) {
        return problems.stream().anyMatch(p -> p.contains(" " + name + " "));
    }
}
