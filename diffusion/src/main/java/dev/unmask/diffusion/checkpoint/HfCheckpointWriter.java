package dev.unmask.diffusion.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.diffusion.model.HfModel;
import dev.unmask.diffusion.tokenizer.SpecialTokens;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import dev.unmask.diffusion.util.Json;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a model (and its tokenizer) as an HF folder that {@code transformers} loads with
 * {@code AutoModelForMaskedLM.from_pretrained} (an encoder) or {@code GPT2LMHeadModel.from_pretrained}:
 * {@code config.json} with {@code architectures} and
 * {@code model_type}, HF tensor names in {@code model.safetensors} (sharded with an index past
 * {@code maxShardBytes}), and the tokenizer files. A tied decoder is not written, as HF does; an
 * untied encoder head's bias is written under both of its names, as {@code transformers} 5.x does
 * ({@link HfModel#savedTensors}).
 */
public final class HfCheckpointWriter {
    /** The shard size {@code transformers} uses by default. */
    public static final long DEFAULT_MAX_SHARD_BYTES = 5_000_000_000L;

    private HfCheckpointWriter() {}

    public static void save(HfModel model, TextTokenizer tokenizer, Path dir) throws IOException {
        save(model, tokenizer, dir, DEFAULT_MAX_SHARD_BYTES);
    }

    public static void save(HfModel model, TextTokenizer tokenizer, Path dir, long maxShardBytes)
            throws IOException {
        Files.createDirectories(dir);
        removeOldWeights(dir);
        Json.write(dir.resolve(HfCheckpointReader.CONFIG), configJson(model, tokenizer));
        Map<String, NDArray> tensors = model.savedTensors();
        Map<String, String> metadata = Map.of("format", "pt");
        if (SafetensorsWriter.dataBytes(tensors) <= maxShardBytes) {
            SafetensorsWriter.write(dir.resolve(HfCheckpointReader.WEIGHTS), tensors, metadata);
        } else {
            writeShards(dir, tensors, metadata, maxShardBytes);
        }
        if (tokenizer != null) {
            tokenizer.saveTo(dir);
        }
    }

    private static ObjectNode configJson(HfModel model, TextTokenizer tokenizer) {
        ObjectNode json = model.configJson();
        String dtype = model.dataType() == DataType.FLOAT16 ? "float16" : "float32";
        json.put("dtype", dtype);
        json.put("torch_dtype", dtype); // the name transformers 4.x reads
        if (tokenizer != null) {
            SpecialTokens special = tokenizer.specials();
            putId(json, "bos_token_id", special.bosId());
            putId(json, "eos_token_id", special.eosId());
        }
        return json;
    }

    private static void putId(ObjectNode json, String field, int id) {
        if (id >= 0) {
            json.put(field, id);
        }
    }

    private static void writeShards(Path dir, Map<String, NDArray> tensors, Map<String, String> metadata,
            long maxShardBytes) throws IOException {
        List<Map<String, NDArray>> shards = new ArrayList<>();
        Map<String, NDArray> current = new LinkedHashMap<>();
        long currentBytes = 0;
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            long bytes = SafetensorsWriter.dataBytes(Map.of(e.getKey(), e.getValue()));
            if (!current.isEmpty() && currentBytes + bytes > maxShardBytes) {
                shards.add(current);
                current = new LinkedHashMap<>();
                currentBytes = 0;
            }
            current.put(e.getKey(), e.getValue());
            currentBytes += bytes;
        }
        shards.add(current);
        ObjectNode index = Json.MAPPER.createObjectNode();
        index.putObject("metadata").put("total_size", SafetensorsWriter.dataBytes(tensors));
        ObjectNode weightMap = index.putObject("weight_map");
        for (int i = 0; i < shards.size(); i++) {
            String name = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
            SafetensorsWriter.write(dir.resolve(name), shards.get(i), metadata);
            for (String tensor : shards.get(i).keySet()) {
                weightMap.put(tensor, name);
            }
        }
        Json.write(dir.resolve(HfCheckpointReader.INDEX), index);
    }

    /** Weights of an earlier save in another layout (single file vs shards) would confuse readers. */
    private static void removeOldWeights(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(HfCheckpointReader.WEIGHTS));
        Files.deleteIfExists(dir.resolve(HfCheckpointReader.INDEX));
        try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "model-*-of-*.safetensors")) {
            for (Path p : old) {
                Files.delete(p);
            }
        }
    }
}
