package dev.tpo.model.weights;

import ai.djl.ndarray.NDArray;
import java.nio.ByteBuffer;

/** A tensor as safetensors stores it: dtype name, shape and little-endian bytes. */
public record RawTensor(String dtype, long[] shape, ByteBuffer bytes) {

    public static RawTensor of(NDArray array) {
        return new RawTensor(
                SafetensorsDtype.fromDjl(array.getDataType()), array.getShape().getShape(), array.toByteBuffer());
    }

    public long byteSize() {
        return bytes.remaining();
    }
}
