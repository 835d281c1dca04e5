package dev.unmask.diffusion.checkpoint;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.diffusion.Fixtures;
import dev.unmask.diffusion.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint that does not fit fails with the tensor's name and both shapes, never half-loaded. */
class CheckpointErrorsTest {
    @TempDir Path tmp;
    NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void missingTensorIsNamedWithItsShape() throws Exception {
        Path dir = rewrite(raw -> {}, "roberta.encoder.layer.1.output.dense.weight", null);
        String message = loadError(dir);
        assertTrue(message.contains("missing tensor roberta.encoder.layer.1.output.dense.weight (expected shape (64, 128))"),
                message);
    }

    @Test
    void unexpectedTensorIsNamed() throws Exception {
        Path dir = rewrite(raw -> raw.put("roberta.encoder.layer.7.surprise", "F32", new long[] {2}, new byte[8]),
                null, null);
        String message = loadError(dir);
        assertTrue(message.contains("unexpected tensor roberta.encoder.layer.7.surprise (2)"), message);
    }

    @Test
    void wrongShapeNamesExpectedAndActual() throws Exception {
        Path dir = rewrite(raw -> {}, null, "roberta.embeddings.position_embeddings.weight");
        String message = loadError(dir);
        assertTrue(message.contains(
                "tensor roberta.embeddings.position_embeddings.weight has shape (33, 128), expected (66, 64)"), message);
    }

    @Test
    void knownExtrasOfOtherHeadsAreSkipped() throws Exception {
        Path dir = rewrite(raw -> raw
                        .put("roberta.pooler.dense.weight", "F32", new long[] {1}, new byte[4])
                        .put("roberta.embeddings.position_ids", "I64", new long[] {1, 1}, new byte[8]),
                null, null);
        HfCheckpointReader.load(dir, manager, Device.cpu(), DataType.FLOAT32).close();
    }

    @Test
    void folderWithoutWeightsOrConfigIsExplained() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertTrue(loadError(empty).contains("has no config.json"));
        Files.copy(Fixtures.model("tiny-bert").resolve("config.json"), empty.resolve("config.json"));
        assertTrue(loadError(empty).contains("has neither model.safetensors nor model.safetensors.index.json"));
        Files.write(empty.resolve("pytorch_model.bin"), new byte[] {1});
        assertTrue(loadError(empty).contains("pytorch_model.bin"));
        assertTrue(loadError(tmp.resolve("nowhere")).contains("is not a directory"));
    }

    @Test
    void unsupportedConfigNamesFieldValueAndSupport() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("cfg"));
        ObjectNode config = (ObjectNode) Json.read(Fixtures.model("tiny-bert").resolve("config.json"));
        config.put("hidden_act", "swish");
        Json.write(dir.resolve("config.json"), config);
        String message = loadError(dir);
        assertTrue(message.contains("'hidden_act' = \"swish\""), message);
        assertTrue(message.contains("gelu, gelu_new, relu"), message);
    }

    @Test
    void truncatedFileIsReportedNotCrashed() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("trunc"));
        Path source = Fixtures.model("tiny-bert");
        Files.copy(source.resolve("config.json"), dir.resolve("config.json"));
        byte[] bytes = Files.readAllBytes(source.resolve("model.safetensors"));
        Files.write(dir.resolve("model.safetensors"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        String message = loadError(dir);
        assertTrue(message.contains("data_offsets"), message);
    }

    private String loadError(Path dir) {
        Exception e = assertThrows(Exception.class,
                () -> HfCheckpointReader.load(dir, manager, Device.cpu(), DataType.FLOAT32).close());
        return e.getMessage();
    }

    /**
     * Copies tiny-roberta, dropping {@code drop}, giving {@code reshape} the shape (33, 128), and
     * letting {@code extra} add tensors.
     */
    private Path rewrite(Consumer<RawSafetensors> extra, String drop, String reshape) throws Exception {
        Path source = Fixtures.model("tiny-roberta");
        Path dir = Files.createDirectories(tmp.resolve("ckpt"));
        Files.copy(source.resolve("config.json"), dir.resolve("config.json"));
        RawSafetensors raw = new RawSafetensors();
        try (SafetensorsReader reader = SafetensorsReader.open(source.resolve("model.safetensors"))) {
            for (TensorEntry e : reader.entries().values()) {
                if (e.name().equals(drop)) {
                    continue;
                }
                byte[] data = reader.read(e.name(), manager).toByteArray();
                long[] shape = e.name().equals(reshape) ? new long[] {33, 128} : e.shape().getShape();
                raw.put(e.name(), "F32", shape, data);
            }
        }
        extra.accept(raw);
        raw.write(dir.resolve("model.safetensors"));
        return dir;
    }
}
