package dev.tpo.model.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * bfloat16 <-> float32 on the host. DJL 0.33's PyTorch JNI aborts the process when asked to cast to or create a
 * bfloat16 tensor, so bfloat16 checkpoints are widened here (exactly: a bfloat16 is the top half of a float32).
 */
public final class Bfloat16 {
    private Bfloat16() {}

    /** Widens into a new direct buffer of native-order float32 (a ByteBuffer, so DJL makes a tensor over it). */
    public static ByteBuffer toFloat32(ByteBuffer bf16) {
        ByteBuffer in = bf16.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = ByteBuffer.allocateDirect(in.remaining() * 2).order(ByteOrder.nativeOrder());
        FloatBuffer floats = out.asFloatBuffer();
        while (in.remaining() >= 2) {
            floats.put(Float.intBitsToFloat((in.getShort() & 0xFFFF) << 16));
        }
        return out;
    }

    /** Round-to-nearest-even narrowing, as torch's {@code .to(torch.bfloat16)} does (NaN stays NaN). */
    public static ByteBuffer fromFloat32(float[] values) {
        ByteBuffer out = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            int bits = Float.floatToRawIntBits(v);
            short half;
            if (Float.isNaN(v)) {
                half = (short) ((bits >>> 16) | 0x40);
            } else {
                int rounding = 0x7FFF + ((bits >>> 16) & 1);
                half = (short) ((bits + rounding) >>> 16);
            }
            out.putShort(half);
        }
        return out.flip();
    }
}
