package dev.tpo.model.nn;

import ai.djl.ndarray.NDArray;
import java.util.function.BooleanSupplier;

/**
 * The low-rank update of one projection: scale * B A dropout(x). Kept apart from the base weight so only A and B
 * train; {@link #merged} folds it into the base for saving.
 */
public final class LoraBranch {
    private final NDArray a;
    private final NDArray b;
    private final float scale;
    private final float dropout;
    private final BooleanSupplier training;

    public LoraBranch(NDArray a, NDArray b, double scale, double dropout, BooleanSupplier training) {
        this.a = a;
        this.b = b;
        this.scale = (float) scale;
        this.dropout = (float) dropout;
        this.training = training;
    }

    public NDArray forward(NDArray x) {
        NDArray in = dropout > 0 && training.getAsBoolean()
                ? x.getNDArrayInternal().dropout(x, dropout, true).singletonOrThrow() : x;
        NDArray down = in.getNDArrayInternal().linear(in, a, null).singletonOrThrow();
        return down.getNDArrayInternal().linear(down, b, null).singletonOrThrow().mul(scale);
    }

    /** W + scale * B A, in the base weight's dtype, in {@code base}'s manager. */
    public NDArray merged(NDArray base) {
        return base.add(b.matMul(a).mul(scale).toType(base.getDataType(), false));
    }
}
