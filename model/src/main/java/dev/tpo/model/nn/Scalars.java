package dev.tpo.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Constants for arithmetic that autograd may differentiate. DJL's {@code x.mul(2.0)} (and add, sub, div, maximum
 * with a Number) wraps the number in a tensor over a direct ByteBuffer (torch's from_blob, which does not own the
 * memory) and closes it as soon as the op returns, yet autograd keeps that tensor for the backward pass (mul and div
 * save their other operand, maximum both). Once the garbage collector frees the buffer, backward reads freed heap: a
 * garbage multiplier or divisor, i.e. a spurious gradient spike, zero or Infinity. The tensors made here hold their
 * value in memory torch owns, so the graph keeps it alive for as long as it needs it. Each has the dtype DJL would
 * have given the Number (float32 for float, float64 for double), so results are unchanged.
 */
public final class Scalars {
    private Scalars() {}

    /** A float32 scalar in {@code manager}, its value in torch-owned memory. */
    public static NDArray of(NDManager manager, float value) {
        try (NDArray javaBacked = manager.create(value)) {
            return javaBacked.duplicate();
        }
    }

    /** A float64 scalar in {@code manager}, its value in torch-owned memory. */
    public static NDArray of(NDManager manager, double value) {
        try (NDArray javaBacked = manager.create(value)) {
            return javaBacked.duplicate();
        }
    }
}
