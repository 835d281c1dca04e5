package dev.unmask.diffusion.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An ONNX {@code TensorProto}: an initializer or a Constant node's value.
 *
 * @param dims the shape; empty for a scalar
 * @param dataType ONNX's element type code ({@link #FLOAT}, {@link #INT64}, ...)
 * @param data little-endian element bytes ({@code raw_data}, or the typed repeated field re-encoded)
 */
public record OnnxTensor(String name, long[] dims, int dataType, ByteBuffer data) {
    public static final int FLOAT = 1;
    public static final int INT32 = 6;
    public static final int INT64 = 7;

    public long size() {
        return Arrays.stream(dims).reduce(1, (a, b) -> a * b);
    }

    public float[] floats() {
        require(FLOAT);
        float[] out = new float[Math.toIntExact(size())];
        data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    public long[] longs() {
        if (dataType == INT32) {
            int[] ints = new int[Math.toIntExact(size())];
            data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(ints);
            return Arrays.stream(ints).asLongStream().toArray();
        }
        require(INT64);
        long[] out = new long[Math.toIntExact(size())];
        data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
        return out;
    }

    private void require(int type) {
        if (dataType != type) {
            throw new IllegalStateException("tensor " + name + " has ONNX data type " + dataType + ", not " + type);
        }
        if ((long) data.remaining() < size() * (type == FLOAT || type == INT32 ? 4 : 8)) {
            throw new IllegalStateException("tensor " + name + " " + Arrays.toString(dims) + " has only "
                    + data.remaining() + " bytes of data");
        }
    }

    /** Parses a {@code TensorProto} message. */
    static OnnxTensor parse(ByteBuffer message) {
        ProtoReader r = new ProtoReader(message);
        String name = "";
        long[] dims = new long[8];
        int[] rank = {0};
        int dataType = 0;
        ByteBuffer raw = null;
        java.io.ByteArrayOutputStream typed = new java.io.ByteArrayOutputStream();
        ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        while (r.hasMore()) {
            int field = r.nextField();
            switch (field) {
                case 1 -> r.varints(d -> {
                    if (rank[0] == 8) {
                        throw new IllegalStateException("tensor of rank > 8");
                    }
                    dims[rank[0]++] = d;
                });
                case 2 -> dataType = (int) r.varint();
                case 4 -> { // float_data
                    if (r.wireType() == ProtoReader.LENGTH_DELIMITED) {
                        ByteBuffer packed = r.bytes();
                        byte[] bytes = new byte[packed.remaining()];
                        packed.get(bytes);
                        typed.writeBytes(bytes);
                    } else {
                        scratch.clear();
                        typed.write(scratch.putFloat(r.fixed32Float()).array(), 0, 4);
                    }
                }
                case 5, 7 -> { // int32_data, int64_data: varints
                    boolean int64 = field == 7;
                    r.varints(v -> {
                        scratch.clear();
                        if (int64) {
                            typed.write(scratch.putLong(v).array(), 0, 8);
                        } else {
                            typed.write(scratch.putInt((int) v).array(), 0, 4);
                        }
                    });
                }
                case 8 -> name = r.string();
                case 9 -> raw = r.bytes();
                case 14 -> {
                    if (r.varint() == 1) {
                        throw new IllegalStateException("tensor stored as external data; import reads"
                                + " self-contained .onnx files (under 2 GB)");
                    }
                }
                default -> r.skip();
            }
        }
        ByteBuffer data = raw != null ? raw : ByteBuffer.wrap(typed.toByteArray());
        return new OnnxTensor(name, Arrays.copyOf(dims, rank[0]), dataType, data.order(ByteOrder.LITTLE_ENDIAN));
    }
}
