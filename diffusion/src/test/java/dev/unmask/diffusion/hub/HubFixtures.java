package dev.unmask.diffusion.hub;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.diffusion.Fixtures;
import dev.unmask.diffusion.checkpoint.SafetensorsReader;
import dev.unmask.diffusion.checkpoint.SafetensorsWriter;
import dev.unmask.diffusion.parity.ParityChecker;
import dev.unmask.diffusion.parity.ParityReport;
import dev.unmask.diffusion.util.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Hub repositories made from the HF fixtures, and the check that a resolved folder loads. */
final class HubFixtures {
    static final List<String> MODEL_FILES = List.of("config.json", "model.safetensors", "tokenizer.json",
            "tokenizer_config.json");

    private HubFixtures() {}

    /** The fixture's files, plus what a real repository carries and a load must not fetch. */
    static Map<String, byte[]> repoFiles(String fixture) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
                "parity.safetensors")) {
            files.put(f, Files.readAllBytes(Fixtures.model(fixture).resolve(f)));
        }
        files.put("README.md", "---\nlicense: mit\n---\n# tiny\n".getBytes());
        files.put("pytorch_model.bin", new byte[] {1, 2, 3});
        files.put("tf_model.h5", new byte[] {4, 5});
        files.put("flax_model.msgpack", new byte[] {6});
        files.put("onnx/model.onnx", new byte[] {7, 8, 9});
        return files;
    }

    /**
     * The fixture with its weights split into two shards and a {@code model.safetensors.index.json},
     * plus a stray third shard the index does not list.
     */
    static Map<String, byte[]> shardedRepoFiles(String fixture, Path work) throws IOException {
        Map<String, byte[]> files = repoFiles(fixture);
        files.remove("model.safetensors");
        Map<String, String> weightMap = new TreeMap<>();
        long total = 0;
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
                SafetensorsReader reader = SafetensorsReader.open(Fixtures.model(fixture).resolve("model.safetensors"))) {
            List<String> names = List.copyOf(new TreeMap<>(reader.entries()).keySet());
            Map<String, Map<String, NDArray>> shards = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                String shard = String.format("model-%05d-of-00002.safetensors", i < names.size() / 2 ? 1 : 2);
                shards.computeIfAbsent(shard, k -> new LinkedHashMap<>()).put(names.get(i), reader.read(names.get(i), manager));
                weightMap.put(names.get(i), shard);
            }
            for (var e : shards.entrySet()) {
                Path file = work.resolve(e.getKey());
                SafetensorsWriter.write(file, e.getValue(), Map.of("format", "pt"));
                total += SafetensorsWriter.dataBytes(e.getValue());
                files.put(e.getKey(), Files.readAllBytes(file));
            }
        }
        ObjectNode index = Json.MAPPER.createObjectNode();
        index.putObject("metadata").put("total_size", total);
        index.putPOJO("weight_map", new HashMap<>(weightMap));
        files.put("model.safetensors.index.json", Json.MAPPER.writeValueAsBytes(index));
        files.put("model-00003-of-00003.safetensors", files.get("model-00001-of-00002.safetensors"));
        return files;
    }

    /** Loads the folder as a model and checks it against the fixture's transformers outputs. */
    static ParityReport parity(Path folder, String fixture) throws IOException {
        return new ParityChecker(ParityReport.Tolerances.FP32).check(folder, Fixtures.parityFile(fixture), Device.cpu());
    }

    /** A port nothing listens on. */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
