package dev.tpo.model.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Picks next tokens from logits on the model's device: temperature, top-k and top-p filtering, then inverse-CDF
 * sampling with one uniform number per row that the caller draws from the row's own seeded generator, so the only
 * host traffic per step is N random numbers in and N token ids out.
 */
public final class Sampler {
    private final SamplingParams params;

    public Sampler(SamplingParams params) {
        this.params = params;
    }

    /**
     * @param logits   [N, V] float32
     * @param uniforms N numbers in [0, 1), ignored when greedy
     */
    public long[] next(NDArray logits, double[] uniforms) {
        if (params.greedy()) {
            return logits.argMax(-1).toType(DataType.INT64, false).toLongArray();
        }
        NDManager scope = logits.getManager();
        long n = logits.getShape().get(0);
        long vocab = logits.getShape().get(1);
        NDArray scaled = logits.div((float) params.temperature());
        if (params.topK() > 0 && params.topK() < vocab) {
            NDArray kth = scaled.topK(params.topK(), -1).get(0).get(":, -1:");
            scaled.set(scaled.lt(kth), Float.NEGATIVE_INFINITY);
        }
        NDArray probs = scaled.softmax(-1);
        NDArray order = null;
        if (params.topP() < 1) {
            order = probs.argSort(-1, false);
            probs = probs.gather(order, -1);
            NDArray before = probs.cumSum(-1).sub(probs);
            probs.set(before.gte((float) params.topP()), 0f);
        }
        NDArray cdf = probs.cumSum(-1);
        float[] u = new float[(int) n];
        for (int i = 0; i < n; i++) {
            u[i] = (float) uniforms[i];
        }
        NDArray threshold = scope.create(u, new Shape(n, 1)).toDevice(logits.getDevice(), false)
                .mul(cdf.get(":, -1:"));
        NDArray index = cdf.lt(threshold).sum(new int[] {-1}, true).clip(0, vocab - 1).toType(DataType.INT64, false);
        if (order != null) {
            index = order.gather(index, -1);
        }
        return index.reshape(n).toLongArray();
    }
}
