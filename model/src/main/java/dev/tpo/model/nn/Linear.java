package dev.tpo.model.nn;

import ai.djl.ndarray.NDArray;

/** y = x W^T + b with an HF-layout weight [out, in]; the bias and the LoRA branch may be absent. */
public final class Linear {
    private final NDArray weight;
    private final NDArray bias;
    private final LoraBranch lora;

    public Linear(NDArray weight, NDArray bias) {
        this(weight, bias, null);
    }

    public Linear(NDArray weight, NDArray bias, LoraBranch lora) {
        this.weight = weight;
        this.bias = bias;
        this.lora = lora;
    }

    public NDArray forward(NDArray x) {
        NDArray y = x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
        return lora == null ? y : y.add(lora.forward(x));
    }
}
