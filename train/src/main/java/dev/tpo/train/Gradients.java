package dev.tpo.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import java.util.Map;

/** Whole-model gradient operations between backward passes and the optimiser step. */
public final class Gradients {
    private Gradients() {
    }

    /**
     * torch.nn.utils.clip_grad_norm_ with the L2 norm over all parameters together: scales every gradient by min(1, maxNorm / (norm + 1e-6)) when maxNorm is positive.
     *
     * @return the global norm before clipping (what HF logs as grad_norm)
     */
    public static double clipByGlobalNorm(Map<String, NDArray> parameters, double maxNorm) {
        double sumSquares = 0;
        for (NDArray p : parameters.values()) {
            // Squares summed in float64: a float32 sum overflows to Infinity once an element passes ~1.8e19, and a
            // huge but finite gradient should be clipped, not reported as divergence.
            NDArray g = p.getGradient().toType(ai.djl.ndarray.types.DataType.FLOAT64, false);
            NDArray sq = g.square();
            NDArray s = sq.sum();
            sumSquares += s.getDouble();
            s.close();
            sq.close();
            g.close();
        }
        double norm = Math.sqrt(sumSquares);
        if (maxNorm > 0) {
            double coefficient = maxNorm / (norm + 1e-6);
            if (coefficient < 1) {
                for (NDArray p : parameters.values()) {
                    p.getGradient().muli(coefficient);
                }
            }
        }
        return norm;
    }

    static double scalar(NDArray a) {
        return a.getDataType() == ai.djl.ndarray.types.DataType.FLOAT64 ? a.getDouble() : a.getFloat();
    }

    /**
     * Zeroes gradients in place: backward adds into them, so each optimiser step starts from zero. Assigned, not
     * subtracted, so a non-finite gradient (Infinity - Infinity is NaN) is cleared too.
     */
    public static void zero(Map<String, NDArray> parameters) {
        for (NDArray p : parameters.values()) {
            p.getGradient().set(new NDIndex("..."), 0);
        }
    }
}
