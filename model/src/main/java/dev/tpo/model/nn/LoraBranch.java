package dev.tpo.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
                ? x.getNDArrayInternal().dropout(x, dropout, true).singletonOrThrow()
                : x;
        NDArray down = in.getNDArrayInternal().linear(in, a, null).singletonOrThrow();
        NDArray up = down.getNDArrayInternal().linear(down, b, null).singletonOrThrow();
        return up.mul(Scalars.of(x.getManager(), scale));
    }

    /**
     * W + scale * B A, in the base weight's dtype. It and every intermediate are attached to {@code scope}: ops
     * create their result in their first operand's manager, which for A, B and W is the model's, and anything left
     * there would pile up for the model's lifetime (one set per saved checkpoint).
     */
    public NDArray merged(NDManager scope, NDArray base) {
        NDArray product = b.matMul(a);
        product.attach(scope);
        NDArray delta = product.mul(Scalars.of(scope, scale)).toType(base.getDataType(), false);
        NDArray merged = base.add(delta);
        merged.attach(scope);
        return merged;
    }
}
