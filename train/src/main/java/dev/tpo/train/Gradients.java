package dev.tpo.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.Map;

/** Whole-model gradient operations between backward passes and the optimiser step. */
public final class Gradients {
    private Gradients() {}

    /**
     * torch.nn.utils.clip_grad_norm_ with the L2 norm over all parameters together: scales every gradient by
     * min(1, maxNorm / (norm + 1e-6)) when maxNorm is positive.
     *
     * @return the global norm before clipping (what HF logs as grad_norm)
     */
    public static double clipByGlobalNorm(Map<String, NDArray> parameters, double maxNorm) {
        double sumSquares = 0;
        for (NDArray p : parameters.values()) {
            try (NDManager scratch = p.getManager().newSubManager()) {
                NDArray g = gradient(p, scratch);
                // torch's norm reads the gradient once, in its own type (a float64 copy and its square took three
                // passes and two allocations per parameter: 7 % of a SmolLM2 DPO step).
                double norm = scalar(g.norm());
                if (!Double.isFinite(norm) && g.getDataType() != DataType.FLOAT64) {
                    // A float32 sum of squares overflows to Infinity once an element passes ~1.8e19; a huge but
                    // finite gradient should be clipped, not reported as divergence: redo it in float64.
                    norm = Math.sqrt(
                            g.toType(DataType.FLOAT64, false).square().sum().getDouble());
                }
                sumSquares += norm * norm;
            }
        }
        double norm = Math.sqrt(sumSquares);
        if (maxNorm > 0) {
            double coefficient = maxNorm / (norm + 1e-6);
            if (coefficient < 1) {
                for (NDArray p : parameters.values()) {
                    try (NDManager scratch = p.getManager().newSubManager()) {
                        gradient(p, scratch).muli(coefficient);
                    }
                }
            }
        }
        return norm;
    }

    static double scalar(NDArray a) {
        return a.getDataType() == DataType.FLOAT64 ? a.getDouble() : a.getFloat();
    }

    /**
     * Zeroes gradients in place: backward adds into them, so each optimiser step starts from zero. Assigned, not
     * subtracted, so a non-finite gradient (Infinity - Infinity is NaN) is cleared too.
     */
    public static void zero(Map<String, NDArray> parameters) {
        for (NDArray p : parameters.values()) {
            try (NDManager scratch = p.getManager().newSubManager()) {
                // set() leaves the zero it assigns (a scalar array) in the gradient's manager: scratch, not the model's
                gradient(p, scratch).set(new NDIndex("..."), 0);
            }
        }
    }

    /**
     * The parameter's gradient as a view owned by {@code scratch}. Each {@code getGradient()} call makes a new
     * wrapper in the parameter's manager, which lives as long as the model, so an unclosed one per parameter per step
     * piles up there; the gradient itself belongs to the parameter and outlives the view.
     */
    static NDArray gradient(NDArray parameter, NDManager scratch) {
        NDArray g = parameter.getGradient();
        g.attach(scratch);
        return g;
    }
}
