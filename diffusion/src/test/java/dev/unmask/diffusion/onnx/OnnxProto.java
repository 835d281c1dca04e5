package dev.unmask.diffusion.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Protobuf wire format written byte by byte, for ONNX messages the tests build themselves. */
final class OnnxProto {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    OnnxProto varint(int field, long value) {
        raw(out, (long) field << 3);
        raw(out, value);
        return this;
    }

    OnnxProto bytes(int field, byte[] value) {
        raw(out, ((long) field << 3) | 2);
        raw(out, value.length);
        out.writeBytes(value);
        return this;
    }

    OnnxProto string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    OnnxProto message(int field, OnnxProto value) {
        return bytes(field, value.toByteArray());
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    /** Values as one packed run of varints. */
    static byte[] packed(long... values) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (long v : values) {
            raw(b, v);
        }
        return b.toByteArray();
    }

    static byte[] floatBytes(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    static byte[] longBytes(long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return b.array();
    }

    /** A TensorProto with raw_data. */
    static OnnxProto tensor(String name, long[] dims, int dataType, byte[] raw) {
        return new OnnxProto().bytes(1, packed(dims)).varint(2, dataType).string(8, name).bytes(9, raw);
    }

    /** A NodeProto, with a Constant's tensor value when {@code value} is not null. */
    static OnnxProto node(String name, String op, String[] inputs, String[] outputs, OnnxProto value) {
        OnnxProto node = new OnnxProto();
        for (String in : inputs) {
            node.string(1, in);
        }
        for (String o : outputs) {
            node.string(2, o);
        }
        node.string(3, name).string(4, op);
        if (value != null) {
            node.message(5, new OnnxProto().string(1, "value").message(5, value).varint(20, 4));
        }
        return node;
    }

    private static void raw(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7fL) != 0) {
            out.write((int) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }
}
