package dev.tpo.model.weights;

import ai.djl.ndarray.types.DataType;

/** The safetensors dtype names the engine reads and writes, and their DJL types. */
final class SafetensorsDtype {
    private SafetensorsDtype() {}

    static DataType toDjl(String dtype) {
        return switch (dtype) {
            case "F32" -> DataType.FLOAT32;
            case "F16" -> DataType.FLOAT16;
            case "BF16" -> DataType.BFLOAT16;
            case "I64" -> DataType.INT64;
            case "I32" -> DataType.INT32;
            default -> null;
        };
    }

    static String fromDjl(DataType type) {
        return switch (type) {
            case FLOAT32 -> "F32";
            case FLOAT16 -> "F16";
            case BFLOAT16 -> "BF16";
            case INT64 -> "I64";
            case INT32 -> "I32";
            default -> throw new IllegalArgumentException("cannot save tensors of type " + type);
        };
    }
}
