package dev.tpo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tpo.model.CausalLm;
import dev.tpo.model.Compute;
import dev.tpo.model.ModelInitializer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run that diverges ends with {@link TrainingDivergedException}, which the activities class as non-retryable. */
class TrainingDivergenceTest {
    @TempDir
    Path tmp;

    private static TrainingConfig config(double learningRate, int maxSteps) {
        return new TrainingConfig(
                learningRate, 1, 1, 1, maxSteps, 0.0, 0, LrSchedulerType.LINEAR, 0.0, 0.9, 0.999, 1e-8, 1.0, 3, 1, 0);
    }

    private static final List<SftExample> EXAMPLES = List.of(
            new SftExample(new int[] {1, 4}, new int[] {30, 31, 2}),
            new SftExample(new int[] {1, 5, 6}, new int[] {40, 41, 2}));

    @Test
    void aHugeLearningRateBlowsTheWeightsUpAndTheNextLossIsNotFinite() {
        try (CausalLm model = ModelInitializer.random(TinyConfigs.llama(), 11, Compute.cpu())) {
            TrainingDivergedException e = assertThrows(
                    TrainingDivergedException.class,
                    () -> new SftTrainer(new SftConfig(config(1e30, 6)), null)
                            .train(model, EXAMPLES, new TrainingRun(tmp.resolve("sft"), null, null)));
            assertTrue(e.step() >= 2 && e.step() <= 6, e.getMessage());
            assertTrue(e.getMessage().startsWith("training diverged at step " + e.step() + ": loss "), e.getMessage());
        }
    }

    @Test
    void nonFiniteGradientsWithAFiniteLossAreSkippedTwiceAndDivergeOnTheThirdStep() {
        // sqrt(p - p): the loss is 0, its gradient Infinity - Infinity = NaN
        TrainingObjective<SftExample> nanGradient = new TrainingObjective<>() {
            @Override
            public double normalizer(List<SftExample> stepExamples) {
                return 1;
            }

            @Override
            public NDArray loss(
                    CausalLm model,
                    NDManager scope,
                    List<SftExample> microBatch,
                    double normalizer,
                    MetricSums metrics) {
                NDArray p = model.trainableParameters().values().iterator().next();
                return p.sub(p).sqrt().sum();
            }

            @Override
            public long tokens(SftExample example) {
                return 1;
            }
        };
        try (CausalLm model = ModelInitializer.random(TinyConfigs.llama(), 11, Compute.cpu())) {
            TrainingDivergedException e = assertThrows(
                    TrainingDivergedException.class,
                    () -> new TrainingLoop<>(config(1e-3, 6), nanGradient, null)
                            .run(model, EXAMPLES, new TrainingRun(tmp.resolve("nan"), null, null)));
            assertEquals(3, e.step(), e.getMessage());
            assertTrue(e.getMessage().contains("3 steps in a row"), e.getMessage());
        }
    }
}
