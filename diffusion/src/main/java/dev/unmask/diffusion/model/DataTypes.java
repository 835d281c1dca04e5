package dev.unmask.diffusion.model;

import ai.djl.ndarray.types.DataType;

/** The compute types a model can run in, by the names users type. */
public final class DataTypes {
    private DataTypes() {}

    /** {@code float32} or {@code float16}; anything else is refused naming what is supported. */
    public static DataType parse(String name) {
        return switch (name) {
            case "float32", "fp32" -> DataType.FLOAT32;
            case "float16", "fp16" -> DataType.FLOAT16;
            default -> throw new IllegalArgumentException("dtype " + name + " is not supported; supported: float32, float16");
        };
    }
}
