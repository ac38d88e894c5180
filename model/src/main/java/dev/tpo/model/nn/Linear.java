package dev.tpo.model.nn;

import ai.djl.ndarray.NDArray;

/** y = x W^T + b with an HF-layout weight [out, in]; the bias may be absent. */
public final class Linear {
    private final NDArray weight;
    private final NDArray bias;

    public Linear(NDArray weight, NDArray bias) {
        this.weight = weight;
        this.bias = bias;
    }

    public NDArray forward(NDArray x) {
        return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
    }
}
