package dev.unmask.diffusion.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code TensorProto}s encoded byte by byte the ways exporters write them: typed repeated fields
 * packed and unpacked, besides the {@code raw_data} that all-MiniLM-L6-v2 uses (OnnxImportTest).
 */
class OnnxTensorTest {

    @Test
    void packedFloatDataAndPackedDims() {
        ByteArrayOutputStream t = new ByteArrayOutputStream();
        bytes(t, 1, varints(2, 3)); // dims, packed
        varint(t, 2, OnnxTensor.FLOAT);
        ByteBuffer floats = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : new float[] {1, -2, 3.5f, 0, 1e-12f, 6}) {
            floats.putFloat(f);
        }
        bytes(t, 4, floats.array()); // float_data, packed
        bytes(t, 8, "w".getBytes(StandardCharsets.UTF_8));
        OnnxTensor tensor = OnnxTensor.parse(ByteBuffer.wrap(t.toByteArray()));
        assertEquals("w", tensor.name());
        assertArrayEquals(new long[] {2, 3}, tensor.dims());
        assertArrayEquals(new float[] {1, -2, 3.5f, 0, 1e-12f, 6}, tensor.floats());
    }

    @Test
    void unpackedInt64DataAndUnpackedDims() {
        ByteArrayOutputStream t = new ByteArrayOutputStream();
        varint(t, 1, 3); // one dim, not packed
        varint(t, 2, OnnxTensor.INT64);
        for (long v : new long[] {0, 12, 32}) {
            varint(t, 7, v); // int64_data, one value a field
        }
        OnnxTensor tensor = OnnxTensor.parse(ByteBuffer.wrap(t.toByteArray()));
        assertArrayEquals(new long[] {3}, tensor.dims());
        assertArrayEquals(new long[] {0, 12, 32}, tensor.longs());
    }

    @Test
    void externalDataIsRefusedByName() {
        ByteArrayOutputStream t = new ByteArrayOutputStream();
        bytes(t, 8, "big".getBytes(StandardCharsets.UTF_8));
        varint(t, 14, 1); // data_location = EXTERNAL
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> OnnxTensor.parse(ByteBuffer.wrap(t.toByteArray())));
        assertTrue(e.getMessage().contains("external data"), e.getMessage());
    }

    @Test
    void tooLittleDataNamesTheTensor() {
        ByteArrayOutputStream t = new ByteArrayOutputStream();
        bytes(t, 1, varints(4));
        varint(t, 2, OnnxTensor.FLOAT);
        bytes(t, 8, "short".getBytes(StandardCharsets.UTF_8));
        bytes(t, 9, new byte[8]); // raw_data for 2 of 4 floats
        OnnxTensor tensor = OnnxTensor.parse(ByteBuffer.wrap(t.toByteArray()));
        IllegalStateException e = assertThrows(IllegalStateException.class, tensor::floats);
        assertTrue(e.getMessage().contains("short [4] has only 8 bytes"), e.getMessage());
    }

    private static void varint(ByteArrayOutputStream out, int field, long value) {
        rawVarint(out, (long) field << 3);
        rawVarint(out, value);
    }

    private static void bytes(ByteArrayOutputStream out, int field, byte[] value) {
        rawVarint(out, ((long) field << 3) | 2);
        rawVarint(out, value.length);
        out.writeBytes(value);
    }

    private static byte[] varints(long... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long v : values) {
            rawVarint(out, v);
        }
        return out.toByteArray();
    }

    private static void rawVarint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7fL) != 0) {
            out.write((int) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }
}
