package dev.tpo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** The engine behaviour the trainers rely on: gradients add up across backward calls and across collectors. */
class EngineGradientBehaviourTest {
    @Test
    void gradientsAccumulateUntilZeroed() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = manager.create(new double[] {1.0, 2.0});
            w.setRequiresGradient(true);
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                try (NDManager scope = manager.newSubManager()) {
                    c.backward(w.mul(3.0).sum());
                }
                try (NDManager scope = manager.newSubManager()) {
                    c.backward(w.mul(5.0).sum());
                }
            }
            assertEquals(8.0, w.getGradient().toDoubleArray()[0], 1e-12);
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                c.backward(w.mul(1.0).sum());
            }
            assertEquals(9.0, w.getGradient().toDoubleArray()[1], 1e-12, "a new collector must not zero gradients");
            NDArray g = w.getGradient();
            g.subi(g);
            assertEquals(0.0, w.getGradient().toDoubleArray()[0], 0.0);
            assertEquals(DataType.FLOAT64, w.getGradient().getDataType());
        }
    }
}
