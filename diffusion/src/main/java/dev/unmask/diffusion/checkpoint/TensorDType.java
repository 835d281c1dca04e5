package dev.unmask.diffusion.checkpoint;

import ai.djl.ndarray.types.DataType;

/** The safetensors dtypes Unmask reads and writes, and their DJL counterparts. */
public enum TensorDType {
    F64("F64", 8, DataType.FLOAT64),
    F32("F32", 4, DataType.FLOAT32),
    F16("F16", 2, DataType.FLOAT16),
    /** bfloat16: read by widening to float32 (stock DJL cannot hold BF16 tensors). */
    BF16("BF16", 2, DataType.FLOAT32),
    I64("I64", 8, DataType.INT64),
    I32("I32", 4, DataType.INT32),
    I16("I16", 2, DataType.INT16),
    I8("I8", 1, DataType.INT8),
    U8("U8", 1, DataType.UINT8),
    BOOL("BOOL", 1, DataType.BOOLEAN);

    private final String code;
    private final int bytes;
    private final DataType loadedAs;

    TensorDType(String code, int bytes, DataType loadedAs) {
        this.code = code;
        this.bytes = bytes;
        this.loadedAs = loadedAs;
    }

    /** The dtype string in a safetensors header. */
    public String code() {
        return code;
    }

    public int bytes() {
        return bytes;
    }

    /** The DJL type a tensor of this dtype becomes when read. */
    public DataType loadedAs() {
        return loadedAs;
    }

    public static TensorDType fromCode(String code) {
        for (TensorDType t : values()) {
            if (t.code.equals(code)) {
                return t;
            }
        }
        return null;
    }

    /** The safetensors dtype a DJL array is written as. */
    public static TensorDType of(DataType type) {
        for (TensorDType t : values()) {
            if (t != BF16 && t.loadedAs == type) {
                return t;
            }
        }
        throw new IllegalArgumentException("cannot write " + type + " tensors to safetensors");
    }
}
