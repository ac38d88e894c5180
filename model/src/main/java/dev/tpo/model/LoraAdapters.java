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
 * Fresh adapter tensors for a {@link LoraSpec}, initialised as PEFT does: A uniform in +-1/sqrt(in) (kaiming uniform
 * with a = sqrt(5)), B zero. Drawn from a Java generator, so the same seed gives the same adapters on any device.
 */
public final class LoraAdapters {
    private LoraAdapters() {}

    public static Map<String, NDArray> create(
            ModelConfig config, LoraSpec spec, long seed, NDManager manager, DataType dtype) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : ParameterLayout.of(config).entrySet()) {
            String name = e.getKey();
            if (!name.endsWith(".weight")) {
                continue;
            }
            String prefix = name.substring(0, name.length() - ".weight".length());
            if (!prefix.startsWith("model.layers.") || !spec.targets(prefix)) {
                continue;
            }
            long outFeatures = e.getValue()[0];
            long inFeatures = e.getValue()[1];
            float bound = (float) (1.0 / Math.sqrt(inFeatures));
            float[] a = new float[Math.toIntExact(spec.r() * inFeatures)];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (random.nextDouble(-bound, bound));
            }
            out.put(
                    LoraSpec.aName(prefix),
                    named(manager.create(a, new Shape(spec.r(), inFeatures)), dtype, LoraSpec.aName(prefix)));
            out.put(
                    LoraSpec.bName(prefix),
                    named(
                            manager.zeros(new Shape(outFeatures, spec.r()), DataType.FLOAT32),
                            dtype,
                            LoraSpec.bName(prefix)));
        }
        return out;
    }

    private static NDArray named(NDArray a, DataType dtype, String name) {
        NDArray out = a;
        if (dtype != DataType.FLOAT32) {
            out = a.toType(dtype, false);
            a.close();
        }
        out.setName(name);
        return out;
    }
}
