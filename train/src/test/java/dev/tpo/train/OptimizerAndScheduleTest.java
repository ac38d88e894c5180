package dev.tpo.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptimizerAndScheduleTest {
    @Test
    void adamWTwoStepsMatchHandComputation() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = manager.create(new double[] {0.5, -1.0});
            NDArray bias = manager.create(new double[] {0.25});
            Map<String, NDArray> params = new LinkedHashMap<>();
            params.put("layer.weight", w);
            params.put("layer.bias", bias);
            for (NDArray p : params.values()) {
                p.setRequiresGradient(true);
            }
            double b1 = 0.9, b2 = 0.99, eps = 1e-8, wd = 0.1, lr = 0.01;
            double[] wv = {0.5, -1.0};
            double bv = 0.25;
            double[] mw = new double[2], vw = new double[2];
            double mb = 0, vb = 0;
            try (AdamW adam = new AdamW(params, b1, b2, eps, wd)) {
                for (int t = 1; t <= 2; t++) {
                    // loss = sum(w^2) + 3 b: grad w = 2w, grad b = 3
                    try (GradientCollector c = Engine.getInstance().newGradientCollector();
                            NDManager scope = manager.newSubManager()) {
                        c.backward(w.square().sum().add(bias.mul(3.0).sum()));
                    }
                    adam.step(params, lr);
                    Gradients.zero(params);
                    double c1 = 1 - Math.pow(b1, t), c2 = 1 - Math.pow(b2, t);
                    for (int i = 0; i < 2; i++) {
                        double g = 2 * wv[i];
                        wv[i] -= lr * wd * wv[i];
                        mw[i] = b1 * mw[i] + (1 - b1) * g;
                        vw[i] = b2 * vw[i] + (1 - b2) * g * g;
                        wv[i] -= lr / c1 * mw[i] / (Math.sqrt(vw[i]) / Math.sqrt(c2) + eps);
                    }
                    // biases are not decayed
                    mb = b1 * mb + (1 - b1) * 3;
                    vb = b2 * vb + (1 - b2) * 9;
                    bv -= lr / c1 * mb / (Math.sqrt(vb) / Math.sqrt(c2) + eps);
                    assertArrayEquals(wv, w.toDoubleArray(), 1e-12);
                    assertEquals(bv, bias.toDoubleArray()[0], 1e-12);
                }
            }
        }
    }

    @Test
    void clippingScalesToMaxNormAndReportsThePreClipNorm() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.create(new double[] {1.0, 2.0});
            NDArray b = manager.create(new double[] {3.0});
            Map<String, NDArray> params = Map.of("a", a, "b", b);
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            try (GradientCollector c = Engine.getInstance().newGradientCollector();
                    NDManager scope = manager.newSubManager()) {
                c.backward(a.mul(manager.create(new double[] {3.0, 4.0}))
                        .sum()
                        .add(b.mul(12.0).sum()));
            }
            assertEquals(13.0, Gradients.clipByGlobalNorm(params, 1.0), 1e-12);
            assertArrayEquals(new double[] {3 / 13.0, 4 / 13.0}, a.getGradient().toDoubleArray(), 1e-6);
            assertEquals(1.0, Gradients.clipByGlobalNorm(params, 5.0), 1e-6);
            assertArrayEquals(new double[] {3 / 13.0, 4 / 13.0}, a.getGradient().toDoubleArray(), 1e-6);
        }
    }

    @Test
    void linearScheduleWithWarmup() {
        LearningRateSchedule s = new LearningRateSchedule(1e-3, LrSchedulerType.LINEAR, 2, 10);
        assertEquals(0.0, s.at(0), 1e-15);
        assertEquals(5e-4, s.at(1), 1e-15);
        assertEquals(1e-3, s.at(2), 1e-15);
        assertEquals(1e-3 * 4 / 8, s.at(6), 1e-15);
        assertEquals(0.0, s.at(10), 1e-15);
    }

    @Test
    void cosineScheduleWithWarmup() {
        LearningRateSchedule s = new LearningRateSchedule(2.0, LrSchedulerType.COSINE, 1, 9);
        assertEquals(0.0, s.at(0), 1e-15);
        assertEquals(2.0, s.at(1), 1e-15);
        assertEquals(1.0, s.at(5), 1e-12);
        assertEquals(2.0 * 0.5 * (1 + Math.cos(Math.PI * 0.25)), s.at(3), 1e-12);
        assertEquals(0.0, s.at(9), 1e-12);
    }

    @Test
    void warmupRatioRoundsUpLikeTransformers() {
        TrainingConfig c = TrainingConfig.defaults().withSteps(1, 0, 0);
        c = new TrainingConfig(1e-3, 1, 1, 1, 0, 0.1, 0, LrSchedulerType.LINEAR, 0, 0.9, 0.999, 1e-8, 1, 1, 1, 0);
        assertEquals(3, LearningRateSchedule.of(c, 21).warmupSteps());
    }
}
