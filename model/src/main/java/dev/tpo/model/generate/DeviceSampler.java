package dev.tpo.model.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Sampling as tensor ops on the logits' device, so the only host traffic per step is N uniforms in and N ids out.
 * Every intermediate lives in a per-call scope: a step's [N, V] temporaries are freed before the next step.
 */
final class DeviceSampler implements Sampler {
    private final SamplingParams params;

    DeviceSampler(SamplingParams params) {
        this.params = params;
    }

    @Override
    public long[] next(NDArray logits, double[] uniforms) {
        try (NDManager step = logits.getManager().newSubManager()) {
            logits.tempAttach(step);
            if (params.greedy()) {
                return FiniteLogits.ids(logits.argMax(-1), FiniteLogits.maxima(logits));
            }
            long n = logits.getShape().get(0);
            long vocab = logits.getShape().get(1);
            NDArray scaled = logits.toType(DataType.FLOAT32, false).div((float) params.temperature());
            NDArray maxima = FiniteLogits.maxima(scaled);
            if (params.topK() > 0 && params.topK() < vocab) {
                NDArray kth = scaled.topK(params.topK(), -1).get(0).get(":, -1:");
                scaled.set(scaled.lt(kth), Float.NEGATIVE_INFINITY);
            }
            NDArray probs = scaled.softmax(-1);
            if (params.topP() < 1) {
                // Ascending values only (no argsort, no flip): the lowest tokens whose cumulative mass stays within
                // 1 - p are dropped, so the smallest kept probability is the first one past them.
                NDArray sorted = probs.sort(-1);
                NDArray dropped = sorted.cumSum(-1)
                        .lte((float) (1 - params.topP()))
                        .sum(new int[] {-1}, true)
                        .clip(0, vocab - 1)
                        .toType(DataType.INT64, false);
                NDArray smallestKept = sorted.gather(dropped, -1);
                probs = probs.mul(probs.gte(smallestKept).toType(DataType.FLOAT32, false));
            }
            NDArray cdf = probs.cumSum(-1);
            float[] u = new float[(int) n];
            for (int i = 0; i < n; i++) {
                u[i] = (float) uniforms[i];
            }
            NDArray threshold = step.create(u, new Shape(n, 1))
                    .toDevice(logits.getDevice(), false)
                    .mul(cdf.get(":, -1:"));
            NDArray index = cdf.lt(threshold).sum(new int[] {-1}).clip(0, vocab - 1);
            return FiniteLogits.ids(index, maxima);
        }
    }
}
