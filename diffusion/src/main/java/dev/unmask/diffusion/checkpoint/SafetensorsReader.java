package dev.unmask.diffusion.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.diffusion.util.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads tensors from a {@code .safetensors} file one at a time, straight into each tensor's
 * native memory: reading needs no more memory than the tensors themselves, whatever the file's
 * size, and no Java buffer larger than 1 MiB. BF16 is widened to float32 while reading.
 */
public final class SafetensorsReader implements AutoCloseable {
    private static final long MAX_HEADER = 100L << 20;
    /** Bytes of BF16 read per chunk while widening (a small heap buffer). */
    private static final int BF16_CHUNK_BYTES = 1 << 20;

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
     * The bytes go straight from the file into the array's native memory: no Java heap, no
     * direct-buffer quota, no memory map left behind.
     */
    public NDArray read(String name, NDManager manager) throws IOException {
        TensorEntry entry = entries.get(name);
        if (entry == null) {
            throw new CheckpointException(file + ": no tensor named " + name);
        }
        NDArray array = manager.create(entry.shape(), entry.dtype().loadedAs()); // uninitialised
        try {
            if (entry.shape().size() > 0) {
                ByteBuffer target = array.toByteBuffer(true); // a view of the array's memory
                if (entry.dtype() == TensorDType.BF16) {
                    readBf16(entry, target.order(ByteOrder.nativeOrder()));
                } else {
                    readFully(channel, target, dataStart + entry.begin());
                }
            }
            return array;
        } catch (IOException | RuntimeException e) {
            array.close();
            throw e;
        }
    }

    /** bfloat16 is the top half of a float32: each value widened by a 16-bit shift, in chunks. */
    private void readBf16(TensorEntry entry, ByteBuffer f32) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(BF16_CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        long position = dataStart + entry.begin();
        long end = dataStart + entry.end();
        while (position < end) {
            chunk.clear().limit((int) Math.min(BF16_CHUNK_BYTES, end - position));
            readFully(channel, chunk, position);
            position += chunk.limit();
            chunk.flip();
            while (chunk.hasRemaining()) {
                f32.putInt((chunk.getShort() & 0xFFFF) << 16);
            }
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
