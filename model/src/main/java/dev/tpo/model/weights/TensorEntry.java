package dev.tpo.model.weights;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** One tensor's header entry in a safetensors file; offsets are absolute positions in the file. */
public record TensorEntry(String name, String dtype, long[] shape, long start, long end) {

    public Shape djlShape() {
        return new Shape(shape);
    }

    public DataType djlType() {
        return SafetensorsDtype.toDjl(dtype);
    }

    public long byteSize() {
        return end - start;
    }
}
