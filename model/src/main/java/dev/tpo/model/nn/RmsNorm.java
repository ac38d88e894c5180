package dev.tpo.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** HF {@code LlamaRMSNorm}: normalised in float32, cast back, then scaled by the weight in the input's type. */
public final class RmsNorm {
    private final NDArray weight;
    private final NDArray eps;

    public RmsNorm(NDArray weight, double eps) {
        this.weight = weight;
        // made once, beside the weight (the model's manager), rather than per forward
        this.eps = Scalars.of(weight.getManager(), (float) eps);
    }

    public NDArray forward(NDArray x) {
        DataType inputType = x.getDataType();
        NDArray h = inputType == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false);
        NDArray variance = h.square().mean(new int[] {-1}, true);
        NDArray normed = h.div(variance.add(eps).sqrt());
        if (inputType != DataType.FLOAT32) {
            normed = normed.toType(inputType, false);
        }
        return normed.mul(weight);
    }
}
