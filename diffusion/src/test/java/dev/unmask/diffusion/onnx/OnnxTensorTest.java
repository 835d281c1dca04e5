package dev.unmask.diffusion.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * {@code TensorProto}s encoded byte by byte the ways exporters write them: typed repeated fields
 * packed and unpacked, besides the {@code raw_data} that all-MiniLM-L6-v2 uses (OnnxImportTest).
 */
class OnnxTensorTest {

    @Test
    void packedFloatDataAndPackedDims() {
        float[] values = {1, -2, 3.5f, 0, 1e-12f, 6};
        OnnxProto t = new OnnxProto().bytes(1, OnnxProto.packed(2, 3)).varint(2, OnnxTensor.FLOAT)
                .bytes(4, OnnxProto.floatBytes(values)).string(8, "w");
        OnnxTensor tensor = OnnxTensor.parse(ByteBuffer.wrap(t.toByteArray()));
        assertEquals("w", tensor.name());
        assertArrayEquals(new long[] {2, 3}, tensor.dims());
        assertArrayEquals(values, tensor.floats());
    }

    @Test
    void unpackedInt64DataAndUnpackedDims() {
        OnnxProto t = new OnnxProto().varint(1, 3).varint(2, OnnxTensor.INT64);
        for (long v : new long[] {0, 12, 32}) {
            t.varint(7, v); // int64_data, one value a field
        }
        OnnxTensor tensor = OnnxTensor.parse(ByteBuffer.wrap(t.toByteArray()));
        assertArrayEquals(new long[] {3}, tensor.dims());
        assertArrayEquals(new long[] {0, 12, 32}, tensor.longs());
    }

    @Test
    void externalDataIsRefusedByName() {
        OnnxProto t = new OnnxProto().string(8, "big").varint(14, 1); // data_location = EXTERNAL
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> OnnxTensor.parse(ByteBuffer.wrap(t.toByteArray())));
        assertTrue(e.getMessage().contains("external data"), e.getMessage());
    }

    @Test
    void tooLittleDataNamesTheTensor() {
        OnnxTensor tensor = OnnxTensor.parse(ByteBuffer.wrap(
                OnnxProto.tensor("short", new long[] {4}, OnnxTensor.FLOAT, new byte[8]).toByteArray()));
        IllegalStateException e = assertThrows(IllegalStateException.class, tensor::floats);
        assertTrue(e.getMessage().contains("short [4] has only 8 bytes"), e.getMessage());
    }
}
