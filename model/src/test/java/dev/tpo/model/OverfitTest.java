package dev.tpo.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.tpo.model.score.TokenLogProbs;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Gradients reach every parameter and a few sequences can be memorised: the base the trainers build on. */
class OverfitTest {
    @Test
    void tinyModelMemorisesSequencesAndEveryParameterGetsGradient() {
        long[][] data = {{1, 10, 20, 30, 40, 50, 60, 2}, {1, 11, 22, 33, 44, 55, 66, 2}, {1, 90, 80, 70, 60, 50, 40, 2}
        };
        try (CausalLm model = TinyModels.random(TinyModels.qwen2Tied(), 5)) {
            for (NDArray p : model.parameters().values()) {
                p.setRequiresGradient(true);
            }
            double first = Double.NaN;
            double last = Double.NaN;
            float lr = 0.05f;
            // Adam, written out here so the test depends on nothing but the engine.
            Map<String, NDArray> m = new java.util.HashMap<>();
            Map<String, NDArray> v = new java.util.HashMap<>();
            for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
                m.put(e.getKey(), model.manager().zeros(e.getValue().getShape()));
                v.put(e.getKey(), model.manager().zeros(e.getValue().getShape()));
            }
            for (int step = 1; step <= 60; step++) {
                try (NDManager scope = model.manager().newSubManager()) {
                    NDArray loss;
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        long[] flat = new long[data.length * data[0].length];
                        for (int i = 0; i < data.length; i++) {
                            System.arraycopy(data[i], 0, flat, i * data[0].length, data[0].length);
                        }
                        NDArray ids = scope.create(flat, new Shape(data.length, data[0].length));
                        loss = TokenLogProbs.compute(model, ids).mean().neg();
                        collector.backward(loss);
                    }
                    double value = loss.getFloat();
                    if (step == 1) {
                        first = value;
                        for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
                            float norm = e.getValue().getGradient().abs().sum().getFloat();
                            assertTrue(norm > 0, "no gradient reached " + e.getKey());
                        }
                    }
                    last = value;
                    for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
                        NDArray g = e.getValue().getGradient();
                        NDArray mi = m.get(e.getKey());
                        NDArray vi = v.get(e.getKey());
                        mi.muli(0.9f).addi(g.mul(0.1f));
                        vi.muli(0.999f).addi(g.square().mul(0.001f));
                        float c1 = (float) (1 - Math.pow(0.9, step));
                        float c2 = (float) (1 - Math.pow(0.999, step));
                        NDArray update =
                                mi.div(c1).div(vi.div(c2).sqrt().add(1e-8f)).mul(lr);
                        e.getValue().subi(update);
                        g.subi(g);
                    }
                }
            }
            assertTrue(first > 3.0, "random model should start near log(vocab): " + first);
            // All three sequences share their first token, so the second one is a 1-in-3 guess: the floor is ln(3)/7.
            double floor = Math.log(3) / 7;
            assertTrue(last < floor + 0.02, "loss should fall to " + floor + ", got " + last + " from " + first);
        }
    }
}
