package dev.tpo.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.tpo.model.CausalLm;
import dev.tpo.model.Compute;
import dev.tpo.model.GradMode;
import dev.tpo.model.ModelInitializer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The constants in a loss (attention scale, norm epsilon, DPO's beta, the normaliser) must still hold their values
 * when backward reads them, even if the garbage collector ran after the forward pass. Constants kept in Java-owned
 * buffers that were released at once read as freed heap there: Infinity or an arbitrary factor in the gradient.
 */
class GraphConstantsSurviveGcTest {

    /** Collects garbage and lets the cleaner thread free the direct buffers of unreachable arrays. */
    private static void collectGarbage() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Gradients of {@code loss} w.r.t. {@code leaves}, with or without a garbage collection before backward. */
    private static float[][] gradients(
            Map<String, NDArray> leaves, Function<NDManager, NDArray> loss, boolean gcFirst) {
        NDManager owner = leaves.values().iterator().next().getManager();
        for (NDArray leaf : leaves.values()) {
            leaf.setRequiresGradient(true);
        }
        try (NDManager scope = owner.newSubManager();
                GradMode off = GradMode.offOnThisThread();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray l = loss.apply(scope);
            if (gcFirst) {
                collectGarbage();
            }
            collector.backward(l);
        }
        List<float[]> out = new ArrayList<>();
        for (NDArray leaf : leaves.values()) {
            out.add(leaf.getGradient().toFloatArray());
        }
        Gradients.zero(leaves);
        return out.toArray(new float[0][]);
    }

    @Test
    void dpoLossGradientsAreTheSameAfterACollection() {
        for (DpoLossType type : DpoLossType.values()) {
            DpoObjective objective = new DpoObjective(0.5, type, type == DpoLossType.SIGMOID ? 0.1 : 0);
            try (NDManager manager = NDManager.newBaseManager()) {
                NDArray chosen = manager.create(new float[] {-3f, -5f, -2.5f});
                NDArray rejected = manager.create(new float[] {-4f, -4.5f, -6f});
                Function<NDManager, NDArray> f = scope -> objective
                        .pairLosses(chosen, rejected, new double[] {-3.5, -4.0, -2.0}, new double[] {-4.2, -4.1, -5.0})
                        .sum();
                Map<String, NDArray> leaves = Map.of("chosen", chosen, "rejected", rejected);
                float[][] reference = gradients(leaves, f, false);
                float[][] afterGc = gradients(leaves, f, true);
                for (int i = 0; i < reference.length; i++) {
                    assertArrayEquals(reference[i], afterGc[i], type + " gradient " + i);
                }
            }
        }
    }

    @Test
    void sftGradientsAreTheSameAfterACollection() {
        List<SftExample> batch = List.of(
                new SftExample(new int[] {1, 5, 9}, new int[] {22, 40, 2}),
                new SftExample(new int[] {1, 7}, new int[] {3, 2}));
        try (CausalLm model = ModelInitializer.random(TinyConfigs.llama(), 3, Compute.cpu())) {
            SftObjective objective = new SftObjective();
            Function<NDManager, NDArray> f =
                    scope -> objective.loss(model, scope, batch, objective.normalizer(batch), new MetricSums());
            float[][] reference = gradients(model.parameters(), f, false);
            float[][] afterGc = gradients(model.parameters(), f, true);
            for (int i = 0; i < reference.length; i++) {
                assertArrayEquals(reference[i], afterGc[i], "gradient of parameter " + i);
            }
        }
    }
}
