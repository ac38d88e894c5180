package dev.tpo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.tpo.model.CausalLm;
import dev.tpo.model.Compute;
import dev.tpo.model.ModelInitializer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Autograd through the whole DPO objective agrees with central finite differences. Float32, because backward
 * through a float64 model fails in this engine build ("does not require grad"); with h = 5e-3 the rounding error
 * of a loss near 1 is about 1e-7 / h = 2e-5 and the O(h^2) truncation is of the same order, so 1e-3 absolute plus
 * 2% relative separates a correct gradient from a wrong one (a missing term or factor is off by far more).
 */
class GradientCheckTest {
    private static final List<PreferencePair> PAIRS = List.of(
            new PreferencePair(new int[] {1, 5, 9}, new int[] {12, 13, 2}, new int[] {40, 2}, -9.0, -6.5),
            new PreferencePair(new int[] {1, 7}, new int[] {20, 21, 22, 2}, new int[] {30, 31, 2}, -13.0, -11.0));

    private static double loss(CausalLm model, DpoObjective objective) {
        try (NDManager scope = model.manager().newSubManager()) {
            return objective
                    .loss(model, scope, PAIRS, PAIRS.size(), new MetricSums())
                    .toType(ai.djl.ndarray.types.DataType.FLOAT64, false)
                    .getDouble();
        }
    }

    @Test
    void dpoGradientsMatchFiniteDifferences() {
        for (DpoLossType type : DpoLossType.values()) {
            DpoObjective objective = new DpoObjective(0.5, type, type == DpoLossType.SIGMOID ? 0.1 : 0);
            try (CausalLm model = ModelInitializer.random(TinyConfigs.llama(), 3, Compute.cpu())) {
                String[] names = {
                    "model.layers.0.self_attn.q_proj.weight",
                    "model.layers.0.mlp.down_proj.weight",
                    "model.embed_tokens.weight",
                    "lm_head.weight",
                    "model.norm.weight"
                };
                for (NDArray p : model.parameters().values()) {
                    p.setRequiresGradient(true);
                }
                try (GradientCollector c = Engine.getInstance().newGradientCollector();
                        NDManager scope = model.manager().newSubManager()) {
                    c.backward(objective.loss(model, scope, PAIRS, PAIRS.size(), new MetricSums()));
                }
                double h = 5e-3;
                for (String n : names) {
                    NDArray p = model.parameters().get(n);
                    // token 12 / 20 rows of the embedding and head are used, so pick entries that matter
                    int[] entries = n.contains("embed") || n.contains("lm_head")
                            ? new int[] {12 * 16 + 3, 20 * 16}
                            : new int[] {0, 7};
                    for (int index : entries) {
                        float[] values = p.toFloatArray();
                        float original = values[index];
                        values[index] = (float) (original + h);
                        p.set(values);
                        double plus = loss(model, objective);
                        values[index] = (float) (original - h);
                        p.set(values);
                        double minus = loss(model, objective);
                        values[index] = original;
                        p.set(values);
                        double numeric = (plus - minus) / (2 * h);
                        double analytic = p.getGradient().toFloatArray()[index];
                        assertEquals(
                                numeric, analytic, 1e-3 + 0.02 * Math.abs(numeric), type + " " + n + "[" + index + "]");
                    }
                }
            }
        }
    }
}
