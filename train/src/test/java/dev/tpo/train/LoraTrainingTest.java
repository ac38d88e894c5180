package dev.tpo.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import dev.tpo.model.CausalLm;
import dev.tpo.model.Compute;
import dev.tpo.model.LoraSpec;
import dev.tpo.model.ModelFolder;
import dev.tpo.model.ModelInitializer;
import dev.tpo.model.score.Scorer;
import dev.tpo.model.weights.SafetensorsFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LoRA: merged weights give the unmerged model's outputs, only adapters train, and resumption stays exact. */
class LoraTrainingTest {
    private static final LoraSpec SPEC = LoraSpec.of(4, 8, 0.0, List.of("q_proj", "v_proj", "up_proj"));
    private static final List<int[]> SEQUENCES = List.of(new int[] {1, 5, 9, 22, 40, 2}, new int[] {1, 7, 3, 2});

    @TempDir
    Path tmp;

    private Path base;

    @BeforeEach
    void saveBase() {
        base = tmp.resolve("base");
        try (CausalLm model = ModelInitializer.random(TinyConfigs.llama(), 11, Compute.cpu())) {
            ModelFolder.save(model, base, null);
        }
    }

    private static List<float[]> logProbs(CausalLm model) {
        return new Scorer(model, 4).tokenLogProbs(SEQUENCES);
    }

    @Test
    void savedFolderHasTheAdaptersMergedAndGivesTheSameOutputs() {
        List<float[]> unmerged;
        try (CausalLm model = ModelFolder.load(base, Compute.cpu(), SPEC, 3)) {
            assertEquals(2 * 3, model.trainableParameters().size(), "A and B for 3 projections in 1 layer");
            List<float[]> atStart = logProbs(model);
            try (CausalLm plain = ModelFolder.load(base, Compute.cpu())) {
                assertClose(logProbs(plain), atStart, 1e-6f, "B = 0: a fresh adapter changes nothing");
            }
            SplittableRandom random = new SplittableRandom(5);
            for (Map.Entry<String, NDArray> e : model.trainableParameters().entrySet()) {
                float[] v = new float[(int) e.getValue().size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) random.nextGaussian() * 0.3f;
                }
                model.manager().create(v, e.getValue().getShape()).copyTo(e.getValue());
            }
            unmerged = logProbs(model);
            assertFalse(closeEnough(atStart, unmerged, 1e-3f), "the random adapters change the outputs");
            ModelFolder.save(model, tmp.resolve("merged"), null);
        }
        try (SafetensorsFile f = SafetensorsFile.open(tmp.resolve("merged/model.safetensors"))) {
            assertTrue(
                    f.entries().keySet().stream().noneMatch(LoraSpec::isAdapter),
                    f.entries().keySet().toString());
        }
        try (CausalLm merged = ModelFolder.load(tmp.resolve("merged"), Compute.cpu())) {
            assertClose(unmerged, logProbs(merged), 1e-5f, "merged == unmerged");
        }
    }

    @Test
    void dropoutActsInTrainingModeOnly() {
        LoraSpec withDropout = LoraSpec.of(4, 8, 0.5, List.of("q_proj", "v_proj"));
        try (CausalLm model = ModelFolder.load(base, Compute.cpu(), withDropout, 3)) {
            model.trainableParameters()
                    .forEach((k, v) ->
                            model.manager().ones(v.getShape()).mul(0.2f).copyTo(v));
            assertClose(logProbs(model), logProbs(model), 0f, "no dropout outside training");
            model.setTraining(true);
            assertFalse(closeEnough(logProbs(model), logProbs(model), 1e-4f), "dropout draws new masks");
        }
    }

    private static List<PreferencePair> pairs() {
        List<PreferencePair> pairs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            pairs.add(new PreferencePair(
                    new int[] {1, 3 + i, 10 + i},
                    new int[] {20 + i, 21 + i, 2},
                    new int[] {40 + i, 33, 2},
                    Double.NaN,
                    Double.NaN));
        }
        return pairs;
    }

    private static List<PreferencePair> annotated(CausalLm reference) {
        return new ReferenceLogProbs(reference, 4).annotate(pairs());
    }

    private static DpoConfig dpo(int steps, int saveSteps) {
        return new DpoConfig(
                0.5,
                DpoLossType.SIGMOID,
                0,
                new TrainingConfig(
                        5e-2,
                        2,
                        1,
                        1,
                        steps,
                        0.0,
                        0,
                        LrSchedulerType.CONSTANT_WITH_WARMUP,
                        0.0,
                        0.9,
                        0.999,
                        1e-8,
                        1.0,
                        7,
                        1,
                        saveSteps));
    }

    @Test
    void dpoTrainsOnlyTheAdaptersAndLearnsThePreferences() {
        LoraSpec withDropout = LoraSpec.of(4, 8, 0.1, List.of("q_proj", "v_proj", "up_proj", "down_proj"));
        try (CausalLm model = ModelFolder.load(base, Compute.cpu(), withDropout, 3)) {
            List<PreferencePair> pairs = annotated(model);
            float[] baseWeight =
                    model.parameters().get("model.layers.0.mlp.up_proj.weight").toFloatArray();
            List<Map<String, Double>> logs = new ArrayList<>();
            new DpoTrainer(dpo(15, 0), new TrainingListener() {
                        @Override
                        public void onLog(Map<String, Double> metrics) {
                            logs.add(metrics);
                        }
                    })
                    .train(model, pairs, new TrainingRun(tmp.resolve("lora-run"), base, null));
            assertArrayEquals(
                    baseWeight,
                    model.parameters().get("model.layers.0.mlp.up_proj.weight").toFloatArray(),
                    "base weights are frozen");
            Map<String, Double> last = logs.get(logs.size() - 1);
            assertEquals(1.0, last.get("rewards/accuracies"), 1e-12, last.toString());
            assertTrue(last.get("rewards/margins") > 0, last.toString());
        }
    }

    @Test
    void resumingLoraTrainingWithDropoutMatchesAStraightRun() {
        LoraSpec withDropout = LoraSpec.of(2, 4, 0.2, List.of("q_proj", "v_proj"));
        Map<String, float[]> straight = new TreeMap<>();
        List<PreferencePair> pairs;
        try (CausalLm model = ModelFolder.load(base, Compute.cpu(), withDropout, 3)) {
            pairs = annotated(model);
            new DpoTrainer(dpo(5, 2), null).train(model, pairs, new TrainingRun(tmp.resolve("straight"), base, null));
            model.trainableParameters().forEach((k, v) -> straight.put(k, v.toFloatArray()));
        }
        Path split = tmp.resolve("split");
        try (CausalLm model = ModelFolder.load(base, Compute.cpu(), withDropout, 3)) {
            new DpoTrainer(dpo(5, 2), new TrainingListener() {
                        int steps;

                        @Override
                        public void onStep(TrainingProgress progress) {
                            steps++;
                        }

                        @Override
                        public boolean stopRequested() {
                            return steps >= 2;
                        }
                    })
                    .train(model, pairs, new TrainingRun(split, base, null));
        }
        try (CausalLm model = ModelFolder.load(base, Compute.cpu(), withDropout, 99)) {
            TrainingSummary resumed = new DpoTrainer(dpo(5, 2), null)
                    .train(model, pairs, new TrainingRun(split, base, split.resolve("checkpoint-2")));
            assertEquals(5, resumed.globalStep());
            model.trainableParameters()
                    .forEach((k, v) -> assertArrayEquals(straight.get(k), v.toFloatArray(), 1e-6f, k));
        }
    }

    private static boolean closeEnough(List<float[]> a, List<float[]> b, float tol) {
        for (int i = 0; i < a.size(); i++) {
            for (int j = 0; j < a.get(i).length; j++) {
                if (Math.abs(a.get(i)[j] - b.get(i)[j]) > tol) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void assertClose(List<float[]> expected, List<float[]> actual, float tol, String what) {
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), tol, what);
        }
    }
}
