package dev.unmask.diffusion.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Reads protobuf wire format: a sequence of (field number, wire type, value). Just what the ONNX
 * messages need; length-delimited values are slices of the same buffer, never copies.
 */
final class ProtoReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final ByteBuffer buf;
    private int wireType;

    ProtoReader(ByteBuffer message) {
        this.buf = message.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    boolean hasMore() {
        return buf.hasRemaining();
    }

    /** The next field's number; its value is read by one of the methods below (or skipped). */
    int nextField() {
        long tag = varint();
        wireType = (int) (tag & 7);
        return (int) (tag >>> 3);
    }

    int wireType() {
        return wireType;
    }

    long varint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = buf.get();
            result |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw new IllegalStateException("malformed varint at byte " + buf.position());
    }

    ByteBuffer bytes() {
        long length = varint();
        if (length < 0 || length > buf.remaining()) {
            throw new IllegalStateException("field of " + length + " bytes at byte " + buf.position()
                    + " runs past the message's " + buf.remaining());
        }
        ByteBuffer slice = buf.slice().limit((int) length).order(ByteOrder.LITTLE_ENDIAN);
        buf.position(buf.position() + (int) length);
        return slice;
    }

    String string() {
        return StandardCharsets.UTF_8.decode(bytes()).toString();
    }

    float fixed32Float() {
        return buf.getFloat();
    }

    void skip() {
        switch (wireType) {
            case VARINT -> varint();
            case FIXED64 -> buf.position(buf.position() + 8);
            case LENGTH_DELIMITED -> bytes();
            case FIXED32 -> buf.position(buf.position() + 4);
            default -> throw new IllegalStateException("unsupported wire type " + wireType + " at byte "
                    + buf.position());
        }
    }

    /** A repeated varint field: packed (one length-delimited run) or one value. */
    void varints(java.util.function.LongConsumer out) {
        if (wireType == LENGTH_DELIMITED) {
            ProtoReader packed = new ProtoReader(bytes());
            while (packed.hasMore()) {
                out.accept(packed.varint());
            }
        } else {
            out.accept(varint());
        }
    }
}
