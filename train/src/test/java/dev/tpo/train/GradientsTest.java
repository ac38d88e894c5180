package dev.tpo.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GradientsTest {
    @Test
    void hugeFiniteGradientsGiveAFiniteNormAndNonFiniteOnesAreCleared() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray p = manager.create(new float[] {1f, 2f});
            p.setRequiresGradient(true);
            Map<String, NDArray> params = Map.of("p", p);
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                c.backward(p.mul(1e30f).sum());
            }
            // float32 squares of 1e30 overflow; the norm must not
            assertEquals(Math.sqrt(2) * 1e30, Gradients.clipByGlobalNorm(params, 0), 1e24);
            Gradients.zero(params);
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                c.backward(p.mul(Float.POSITIVE_INFINITY).sum());
            }
            Gradients.zero(params);
            assertArrayEquals(new float[] {0f, 0f}, p.getGradient().toFloatArray());
        }
    }
}
