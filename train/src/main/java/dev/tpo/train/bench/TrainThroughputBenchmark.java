package dev.tpo.train.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.tpo.model.CausalLm;
import dev.tpo.model.Compute;
import dev.tpo.model.ModelConfig;
import dev.tpo.model.ModelInitializer;
import dev.tpo.train.AdamW;
import dev.tpo.train.Gradients;
import dev.tpo.train.MetricSums;
import dev.tpo.train.SftExample;
import dev.tpo.train.SftObjective;
import dev.tpo.train.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Training tokens per second (forward + backward + clipping + AdamW) of a ~20M-parameter Llama, batch 8 x 256
 * tokens, on the default device. Args: [steps=3].
 */
public final class TrainThroughputBenchmark {
    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        ModelConfig config = ModelConfig.llama(32000, 256, 688, 4, 8, 8, 512);
        int batch = 8;
        int seq = 256;
        SplittableRandom random = new SplittableRandom(1);
        List<SftExample> examples = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            int[] prompt = random.ints(32, 3, 32000).toArray();
            int[] completion = random.ints(seq - 32, 3, 32000).toArray();
            examples.add(new SftExample(prompt, completion));
        }
        SftObjective objective = new SftObjective();
        TrainingConfig training = TrainingConfig.defaults();
        try (CausalLm model = ModelInitializer.random(config, 1, Compute.cpu());
                AdamW adam = new AdamW(model.parameters(), training)) {
            System.out.printf(
                    "parameters: %d (%.1fM), batch %d x %d tokens, threads: %s%n",
                    config.parameterCount(),
                    config.parameterCount() / 1e6,
                    batch,
                    seq,
                    Runtime.getRuntime().availableProcessors());
            for (NDArray p : model.parameters().values()) {
                p.setRequiresGradient(true);
            }
            for (int step = 0; step <= steps; step++) {
                long start = System.nanoTime();
                double lossValue;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector();
                        NDManager scope = model.manager().newSubManager()) {
                    NDArray loss =
                            objective.loss(model, scope, examples, objective.normalizer(examples), new MetricSums());
                    collector.backward(loss);
                    lossValue = loss.toType(ai.djl.ndarray.types.DataType.FLOAT64, false)
                            .getDouble();
                }
                double norm = Gradients.clipByGlobalNorm(model.parameters(), 1.0);
                adam.step(model.parameters(), 1e-4);
                Gradients.zero(model.parameters());
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(
                        "%s step %d: %.2f s, %.0f tokens/s, loss %.4f, grad_norm %.3f%n",
                        step == 0 ? "warmup" : "timed", step, seconds, batch * seq / seconds, lossValue, norm);
            }
        }
    }
}
