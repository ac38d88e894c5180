package dev.tpo.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tpo.model.weights.SafetensorsFile;
import dev.tpo.model.weights.SafetensorsWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * torch.optim.AdamW: decoupled weight decay p -= lr*wd*p, then the bias-corrected Adam step
 * p -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps). Decay is skipped for biases and norm weights, as the HF
 * Trainer's parameter groups do. The moment estimates live in a manager this optimiser owns and closes.
 */
public final class AdamW implements AutoCloseable {
    private static final String EXP_AVG = "exp_avg.";
    private static final String EXP_AVG_SQ = "exp_avg_sq.";

    private final NDManager state;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final Map<String, NDArray> expAvg = new TreeMap<>();
    private final Map<String, NDArray> expAvgSq = new TreeMap<>();
    private long stepCount;

    public AdamW(Map<String, NDArray> parameters, double beta1, double beta2, double epsilon, double weightDecay) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        NDArray any = parameters.values().iterator().next();
        this.state = NDManager.newBaseManager(any.getDevice());
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            NDArray p = e.getValue();
            expAvg.put(e.getKey(), state.zeros(p.getShape(), p.getDataType()));
            expAvgSq.put(e.getKey(), state.zeros(p.getShape(), p.getDataType()));
        }
    }

    public AdamW(Map<String, NDArray> parameters, TrainingConfig config) {
        this(parameters, config.adamBeta1(), config.adamBeta2(), config.adamEpsilon(), config.weightDecay());
    }

    /** Whether HF would put the parameter in the weight-decay group. */
    public static boolean decays(String name) {
        return !(name.endsWith(".bias") || name.endsWith("norm.weight"));
    }

    /** One update of every parameter from its accumulated gradient; call outside any gradient collector. */
    public void step(Map<String, NDArray> parameters, double lr) {
        stepCount++;
        double biasCorrection1 = 1 - Math.pow(beta1, stepCount);
        double biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(beta2, stepCount));
        double stepSize = lr / biasCorrection1;
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            NDArray p = e.getValue();
            NDArray m = expAvg.get(e.getKey());
            NDArray v = expAvgSq.get(e.getKey());
            if (weightDecay > 0 && decays(e.getKey())) {
                p.muli(1 - lr * weightDecay);
            }
            // One parameter's temporaries at a time: the gradient view and everything computed from it live in
            // scratch; denom and update start in the moments' manager (their first operand's) and are moved there.
            try (NDManager scratch = state.newSubManager()) {
                NDArray g = Gradients.gradient(p, scratch);
                m.muli(beta1).addi(g.mul(1 - beta1));
                NDArray squaredGrad = g.square();
                squaredGrad.muli(1 - beta2);
                v.muli(beta2).addi(squaredGrad);
                NDArray denom = v.sqrt();
                denom.attach(scratch);
                denom.divi(biasCorrection2Sqrt).addi(epsilon);
                NDArray update = m.div(denom);
                update.attach(scratch);
                update.muli(stepSize);
                p.subi(update);
            }
        }
    }

    public long stepCount() {
        return stepCount;
    }

    /** Writes the moments as {@code dir/model.safetensors} (names exp_avg.&lt;param&gt;, exp_avg_sq.&lt;param&gt;). */
    public void save(Path dir) {
        Map<String, NDArray> tensors = new TreeMap<>();
        expAvg.forEach((k, v) -> tensors.put(EXP_AVG + k, v));
        expAvgSq.forEach((k, v) -> tensors.put(EXP_AVG_SQ + k, v));
        try {
            new SafetensorsWriter(Long.MAX_VALUE).write(dir, tensors);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save optimiser state to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Restores the moments written by {@link #save} and the step count kept in the trainer state. */
    public void load(Path dir, long steps) {
        try (SafetensorsFile file = SafetensorsFile.open(dir.resolve(SafetensorsWriter.SINGLE_FILE))) {
            restore(file, EXP_AVG, expAvg);
            restore(file, EXP_AVG_SQ, expAvgSq);
        }
        this.stepCount = steps;
    }

    private void restore(SafetensorsFile file, String prefix, Map<String, NDArray> target) {
        for (Map.Entry<String, NDArray> e : target.entrySet()) {
            try (NDManager scratch = state.newSubManager()) {
                NDArray loaded =
                        file.read(scratch, prefix + e.getKey(), e.getValue().getDataType());
                loaded.copyTo(e.getValue());
            }
        }
    }

    @Override
    public void close() {
        state.close();
    }
}
