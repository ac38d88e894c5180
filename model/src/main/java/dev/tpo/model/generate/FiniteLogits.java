package dev.tpo.model.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.tpo.model.NonFiniteLogitsException;

/**
 * The one finiteness rule of every sampler, greedy decoding included: a row of logits is usable when its maximum is
 * finite. NaN anywhere makes the maximum NaN, +Infinity anywhere makes it +Infinity, and a row of only -Infinity
 * leaves nothing to pick; -Infinity entries (masked tokens) beside finite ones are fine. An unusable row fails with
 * {@link NonFiniteLogitsException} instead of turning into some token (an argmax or a CDF walk over NaN gives
 * token 0).
 */
final class FiniteLogits {
    private FiniteLogits() {}

    /** For a row's maximum computed on the host. */
    static void check(int row, float maximum) {
        if (!Float.isFinite(maximum)) {
            throw new NonFiniteLogitsException(row, maximum);
        }
    }

    /** Each row's maximum, [N], of [N, V] logits: what {@link #ids} checks. */
    static NDArray maxima(NDArray logits) {
        return logits.max(new int[] {-1});
    }

    /**
     * The chosen ids, brought to the host, failing on the first unusable row. The check runs where the logits are
     * and comes back with the ids (-1 marks an unusable row), so the device is still synchronised once per step.
     *
     * @param ids     [N] chosen token ids
     * @param maxima  [N] the {@link #maxima} of the (temperature-scaled, unfiltered) logits they were chosen from
     */
    static long[] ids(NDArray ids, NDArray maxima) {
        NDArray unusable = maxima.isNaN().logicalOr(maxima.isInfinite()).toType(DataType.INT64, false);
        // a usable row keeps its id; an unusable one becomes 0 * id - 1
        NDArray usable = unusable.neg().add(1);
        long[] out = ids.toType(DataType.INT64, false).mul(usable).sub(unusable).toLongArray();
        for (int r = 0; r < out.length; r++) {
            if (out[r] < 0) {
                check(r, maxima.get(r).toType(DataType.FLOAT32, false).getFloat());
            }
        }
        return out;
    }
}
