package dev.unmask.diffusion.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.diffusion.checkpoint.HfCheckpointWriter;
import dev.unmask.diffusion.checkpoint.SafetensorsReader;
import dev.unmask.diffusion.checkpoint.SafetensorsWriter;
import dev.unmask.diffusion.model.HfModel;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import dev.unmask.diffusion.util.FileTrees;
import dev.unmask.diffusion.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A resumable checkpoint: an HF folder ({@code transformers} loads it as is) plus the training
 * state beside it: {@code optimizer.safetensors} (AdamW moments) and {@code trainer_state.json}
 * (step, RNG state, data position, and the run's whole {@link RunConfig}). Written to a temporary folder and renamed into place, so a
 * crash never leaves a half checkpoint.
 */
public final class TrainingCheckpoint {
    public static final String OPTIMIZER = "optimizer.safetensors";
    public static final String STATE = "trainer_state.json";
    public static final int FORMAT_VERSION = 1;

    /**
     * What {@code trainer_state.json} holds.
     *
     * @param lossScale the fp16 loss scaler's state (absent in fp32 runs)
     * @param config the configuration of the run that wrote it (absent in checkpoints written before
     *     checkpoints carried one)
     */
    public record State(int step, long rngState, JsonNode dataPosition, double loss, int optimizerSteps,
            Optional<LossScaler.Saved> lossScale, Optional<RunConfig> config) {}

    private TrainingCheckpoint() {}

    public static Path directory(Path outputDir, int step) {
        return outputDir.resolve(String.format("checkpoint-%06d", step));
    }

    public static void save(Path dir, HfModel model, TextTokenizer tokenizer, AdamW optimizer,
            State state) throws IOException {
        Path tmp = dir.resolveSibling(dir.getFileName() + ".partial");
        FileTrees.delete(tmp);
        HfCheckpointWriter.save(model, tokenizer, tmp);
        SafetensorsWriter.write(tmp.resolve(OPTIMIZER), optimizer.state(),
                Map.of("steps", String.valueOf(optimizer.steps())));
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("format_version", FORMAT_VERSION);
        json.put("step", state.step());
        json.put("rng_state", state.rngState());
        json.set("data_position", state.dataPosition());
        json.put("loss", state.loss());
        json.put("optimizer_steps", state.optimizerSteps());
        state.lossScale().ifPresent(saved -> {
            json.put("loss_scale", saved.scale());
            json.put("loss_scale_clean_steps", saved.cleanSteps());
        });
        state.config().ifPresent(config -> json.set("config", config.toJson()));
        Json.write(tmp.resolve(STATE), json);
        FileTrees.delete(dir);
        Files.move(tmp, dir);
    }

    /** Reads {@code trainer_state.json}; a version mismatch names both versions. */
    public static State readState(Path dir) throws IOException {
        Path file = dir.resolve(STATE);
        if (!Files.isRegularFile(file)) {
            throw new IOException(dir + " is not a training checkpoint: no " + STATE);
        }
        JsonNode json = Json.read(file);
        int version = json.path("format_version").asInt(-1);
        if (version != FORMAT_VERSION) {
            throw new IOException(file + " has format_version " + version + ", expected " + FORMAT_VERSION);
        }
        return new State(json.path("step").asInt(), json.path("rng_state").asLong(), json.path("data_position"),
                json.path("loss").asDouble(), json.path("optimizer_steps").asInt(),
                json.has("loss_scale") ? Optional.of(new LossScaler.Saved(json.get("loss_scale").asDouble(),
                        json.path("loss_scale_clean_steps").asInt(0))) : Optional.empty(),
                json.has("config") ? Optional.of(RunConfig.fromJson(json.get("config"))) : Optional.empty());
    }

    /** Loads the saved moments into {@code optimizer}. */
    public static void restoreOptimizer(Path dir, AdamW optimizer, int steps, NDManager manager) throws IOException {
        try (NDManager scope = manager.newSubManager();
                SafetensorsReader reader = SafetensorsReader.open(dir.resolve(OPTIMIZER))) {
            Map<String, NDArray> state = new LinkedHashMap<>();
            for (String name : reader.entries().keySet()) {
                state.put(name, reader.read(name, scope));
            }
            optimizer.load(state, steps);
        }
    }
}
