package dev.unmask.diffusion.checkpoint;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.diffusion.util.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Writes tensors to a {@code .safetensors} file as {@code transformers} does: a JSON header
 * padded with spaces to 8 bytes, then each tensor's little-endian bytes in header order. Tensors
 * are streamed one at a time; the file appears atomically when complete.
 */
public final class SafetensorsWriter {
    private SafetensorsWriter() {}

    /** Bytes the file for {@code tensors} will take, header excluded. */
    public static long dataBytes(Map<String, NDArray> tensors) {
        return tensors.values().stream()
                .mapToLong(a -> a.getShape().size() * TensorDType.of(a.getDataType()).bytes())
                .sum();
    }

    public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata)
            throws IOException {
        ObjectNode header = Json.MAPPER.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            NDArray array = e.getValue();
            TensorDType dtype = TensorDType.of(array.getDataType());
            long length = array.getShape().size() * dtype.bytes();
            ObjectNode entry = header.putObject(e.getKey());
            entry.put("dtype", dtype.code());
            var shape = entry.putArray("shape");
            for (long d : array.getShape().getShape()) {
                shape.add(d);
            }
            entry.putArray("data_offsets").add(offset).add(offset + length);
            offset += length;
        }
        byte[] json = Json.compact(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();

        Path tmp = file.resolveSibling(file.getFileName() + ".partial");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            writeFully(out, head);
            for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
                writeTensor(out, e.getKey(), e.getValue());
            }
            out.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writeTensor(FileChannel out, String name, NDArray array) throws IOException {
        if (array.getShape().size() == 0) {
            return;
        }
        boolean onCpu = array.getDevice().equals(Device.cpu());
        NDArray host = onCpu ? array : array.toDevice(Device.cpu(), true);
        try {
            ByteBuffer bytes = host.toByteBuffer(true).order(ByteOrder.LITTLE_ENDIAN);
            long expected = array.getShape().size() * TensorDType.of(array.getDataType()).bytes();
            if (bytes.remaining() != expected) {
                throw new CheckpointException("tensor " + name + ": " + bytes.remaining()
                        + " bytes from the engine, expected " + expected);
            }
            writeFully(out, bytes);
        } finally {
            if (!onCpu) {
                host.close();
            }
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }
}
