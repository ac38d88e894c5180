package dev.tpo.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Additive attention masks: 0 where a query may attend to a key, a large negative number where it may not
 * (causality or padding). Like transformers, the finite minimum instead of -inf keeps a query whose keys are all
 * padding at a uniform softmax instead of NaN.
 */
public final class AttentionMasks {
    private AttentionMasks() {}

    /**
     * @param keyMask [B, Tk] with 1 for real tokens and 0 for padding (Tk = past + T), or null for no padding
     * @param past    tokens already in the cache before these T queries
     * @return [B or 1, 1, T, Tk] in {@code type}, or null when nothing is masked (one query, no padding)
     */
    public static NDArray build(NDManager scope, NDArray keyMask, long batch, int past, int t, DataType type) {
        if (keyMask == null && t == 1) {
            return null;
        }
        int tk = past + t;
        NDArray queryPos = scope.arange(past, past + t, 1, DataType.INT64).reshape(t, 1);
        NDArray keyPos = scope.arange(0, tk, 1, DataType.INT64).reshape(1, tk);
        NDArray allowed = keyPos.lte(queryPos).reshape(1, 1, t, tk);
        if (keyMask != null) {
            allowed = allowed.logicalAnd(keyMask.toType(DataType.BOOLEAN, false).reshape(batch, 1, 1, tk));
        }
        float min = switch (type) {
            case FLOAT16 -> -65504f;
            case BFLOAT16 -> -3.3895314e38f;
            default -> -3.4028235e38f;
        };
        // allowed -> 0, blocked -> -1 * |min| (exact in every float type)
        return allowed.toType(type, false).sub(1).mul(-min);
    }
}
