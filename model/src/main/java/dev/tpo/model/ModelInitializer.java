package dev.tpo.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tpo.model.weights.ParameterLayout;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random weights as HF's {@code _init_weights} draws them (normal(0, initializer_range) for projections and
 * embeddings, zero biases, unit norms), from a seed alone: the same config and seed give the same model on any
 * device, because the numbers come from a Java generator, not the engine's.
 */
public final class ModelInitializer {
    private ModelInitializer() {}

    public static CausalLm random(ModelConfig config, long seed, Compute compute) {
        NDManager manager = NDManager.newBaseManager(compute.device());
        try {
            SplittableRandom random = new SplittableRandom(seed);
            Map<String, NDArray> params = new LinkedHashMap<>();
            for (Map.Entry<String, long[]> e : ParameterLayout.of(config).entrySet()) {
                String name = e.getKey();
                Shape shape = new Shape(e.getValue());
                NDArray a;
                if (name.endsWith("norm.weight")) {
                    a = manager.ones(shape, DataType.FLOAT32);
                } else if (name.endsWith(".bias")) {
                    a = manager.zeros(shape, DataType.FLOAT32);
                } else {
                    float[] values = new float[Math.toIntExact(shape.size())];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = (float) (random.nextGaussian() * config.initializerRange());
                    }
                    a = manager.create(values, shape);
                }
                if (compute.dtype() != DataType.FLOAT32) {
                    NDArray cast = a.toType(compute.dtype(), false);
                    a.close();
                    a = cast;
                }
                a.setName(name);
                params.put(name, a);
            }
            return new CausalLm(config, manager, params, compute.dtype());
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }
}
