package dev.unmask.diffusion.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.diffusion.util.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads tensors from a {@code .safetensors} file one at a time, through memory maps of each
 * tensor's bytes: memory stays bounded by the largest tensor, whatever the file's size. BF16 is
 * widened to float32 in chunks while reading.
 */
public final class SafetensorsReader implements AutoCloseable {
    private static final long MAX_HEADER = 100L << 20;
    /** Elements converted per chunk when widening BF16 (64 MiB of float32). */
    private static final int BF16_CHUNK = 16 << 20;

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorEntry> entries;
    private final Map<String, String> metadata;

    private SafetensorsReader(Path file, FileChannel channel, long dataStart,
            Map<String, TensorEntry> entries, Map<String, String> metadata) {
        this.file = file;
        this.channel = channel;
        this.dataStart = dataStart;
        this.entries = Collections.unmodifiableMap(entries);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    public static SafetensorsReader open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return parse(file, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static SafetensorsReader parse(Path file, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < 8) {
            throw new CheckpointException(file + ": not a safetensors file (" + size + " bytes)");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, lengthBytes, 0);
        long headerLength = lengthBytes.flip().getLong();
        if (headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > size) {
            throw new CheckpointException(file + ": not a safetensors file (header length "
                    + headerLength + ", file size " + size + ")");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(channel, headerBytes, 8);
        JsonNode header;
        try {
            header = Json.MAPPER.readTree(new String(headerBytes.array(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CheckpointException(file + ": safetensors header is not valid JSON", e);
        }
        long dataStart = 8 + headerLength;
        long dataLength = size - dataStart;
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            JsonNode node = field.getValue();
            if (name.equals("__metadata__")) {
                node.fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            entries.put(name, entry(file, name, node, dataLength));
        }
        return new SafetensorsReader(file, channel, dataStart, entries, metadata);
    }

    private static TensorEntry entry(Path file, String name, JsonNode node, long dataLength)
            throws CheckpointException {
        String code = node.path("dtype").asText();
        TensorDType dtype = TensorDType.fromCode(code);
        if (dtype == null) {
            throw new CheckpointException(file + ": tensor " + name + " has dtype '" + code
                    + "'; supported: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL");
        }
        JsonNode shapeNode = node.path("shape");
        long[] dims = new long[shapeNode.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shapeNode.get(i).asLong();
        }
        Shape shape = new Shape(dims);
        JsonNode offsets = node.path("data_offsets");
        long begin = offsets.path(0).asLong(-1);
        long end = offsets.path(1).asLong(-1);
        long expected = shape.size() * dtype.bytes();
        if (begin < 0 || end < begin || end > dataLength || end - begin != expected) {
            throw new CheckpointException(file + ": tensor " + name + " has data_offsets ["
                    + begin + ", " + end + "] that do not fit shape " + shape + " of " + code
                    + " (" + expected + " bytes) in " + dataLength + " data bytes");
        }
        return new TensorEntry(name, dtype, shape, begin, end);
    }

    public Path file() {
        return file;
    }

    /** Header entries by tensor name, in file order. */
    public Map<String, TensorEntry> entries() {
        return entries;
    }

    /** The {@code __metadata__} map (empty when absent). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Reads one tensor into a new array owned by {@code manager} (BF16 arrives as float32).
     * The array owns its memory: the file can change or go away afterwards.
     */
    public NDArray read(String name, NDManager manager) throws IOException {
        TensorEntry entry = entries.get(name);
        if (entry == null) {
            throw new CheckpointException(file + ": no tensor named " + name);
        }
        if (entry.byteLength() > Integer.MAX_VALUE) {
            throw new CheckpointException(file + ": tensor " + name + " is " + entry.byteLength()
                    + " bytes; tensors over 2 GiB are not supported");
        }
        if (entry.shape().size() == 0) {
            return manager.zeros(entry.shape(), entry.dtype().loadedAs());
        }
        MappedByteBuffer bytes = channel.map(FileChannel.MapMode.READ_ONLY,
                dataStart + entry.begin(), entry.byteLength());
        bytes.order(ByteOrder.LITTLE_ENDIAN);
        if (entry.dtype() == TensorDType.BF16) {
            return widenBf16(bytes, entry.shape(), manager);
        }
        try (NDArray view = manager.create(bytes, entry.shape(), entry.dtype().loadedAs())) {
            return view.duplicate(); // owns a copy: the mapping can go
        }
    }

    /** bfloat16 is the top half of a float32: shift each value 16 bits left. */
    private static NDArray widenBf16(ByteBuffer bf16, Shape shape, NDManager manager) {
        long count = shape.size();
        try (NDManager scope = manager.newSubManager()) {
            NDList chunks = new NDList();
            for (long start = 0; start < count; start += BF16_CHUNK) {
                int n = (int) Math.min(BF16_CHUNK, count - start);
                ByteBuffer f32 = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder());
                for (int i = 0; i < n; i++) {
                    int bits = bf16.getShort((int) ((start + i) * 2)) & 0xFFFF;
                    f32.putInt(bits << 16);
                }
                f32.flip();
                chunks.add(scope.create(f32, new Shape(n), DataType.FLOAT32));
            }
            NDArray flat = chunks.size() == 1 ? chunks.get(0) : NDArrays.concat(chunks);
            NDArray result = flat.reshape(shape).duplicate();
            result.attach(manager);
            return result;
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position)
            throws IOException {
        long pos = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            pos += n;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
