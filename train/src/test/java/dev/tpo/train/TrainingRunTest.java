package dev.tpo.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.model.CausalLm;
import dev.tpo.model.Compute;
import dev.tpo.model.ModelFolder;
import dev.tpo.model.ModelInitializer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end runs on a tiny model: DPO learns the preferences, resumption is exact, SFT fits completions. */
class TrainingRunTest {
    @TempDir
    Path tmp;

    private static List<PreferencePair> rawPairs() {
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

    private static CausalLm model() {
        return ModelInitializer.random(TinyConfigs.llama(), 11, Compute.cpu());
    }

    private static TrainingConfig training(int maxSteps, int saveSteps) {
        return new TrainingConfig(
                2e-2, 2, 2, 1, maxSteps, 0.0, 2, LrSchedulerType.COSINE, 0.01, 0.9, 0.999, 1e-8, 1.0, 7, 1, saveSteps);
    }

    private List<PreferencePair> annotated(CausalLm model) {
        Path in = tmp.resolve("pairs.jsonl");
        Path out = tmp.resolve("pairs.ref.jsonl");
        TrainingData data = new TrainingData();
        data.writePairs(in, rawPairs());
        new ReferenceLogProbs(model, 4).annotateFile(in, out);
        return data.readPairs(out, true);
    }

    @Test
    void dpoReachesFullAccuracyWithPositiveMargins() throws Exception {
        try (CausalLm model = model()) {
            List<PreferencePair> pairs = annotated(model);
            Path out = tmp.resolve("run");
            List<Map<String, Double>> logs = new ArrayList<>();
            TrainingSummary summary = new DpoTrainer(
                            new DpoConfig(0.5, DpoLossType.SIGMOID, 0, training(12, 0)), new TrainingListener() {
                                @Override
                                public void onLog(Map<String, Double> metrics) {
                                    logs.add(metrics);
                                }
                            })
                    .train(model, pairs, new TrainingRun(out, null, null));
            assertEquals(12, summary.globalStep());
            Map<String, Double> last = logs.get(logs.size() - 1);
            assertEquals(1.0, last.get("rewards/accuracies"), 1e-12, last.toString());
            assertTrue(last.get("rewards/margins") > 0, last.toString());
            assertTrue(last.get("loss") < logs.get(0).get("loss"), logs.toString());
            // the first step starts from the reference policy: zero rewards, loss log 2
            assertEquals(0.0, logs.get(0).get("rewards/chosen"), 1e-4);
            assertEquals(Math.log(2), logs.get(0).get("loss"), 1e-4);
            List<String> lines = Files.readAllLines(out.resolve(MetricsLog.FILE));
            assertEquals(12, lines.size());
            JsonNode first = new ObjectMapper().readTree(lines.get(0));
            for (String k : List.of(
                    "loss",
                    "rewards/chosen",
                    "rewards/rejected",
                    "rewards/accuracies",
                    "rewards/margins",
                    "logps/chosen",
                    "logps/rejected",
                    "learning_rate",
                    "grad_norm",
                    "step",
                    "epoch",
                    "tokens_per_second")) {
                assertTrue(first.has(k), "metrics line lacks " + k + ": " + first);
            }
            assertTrue(Files.isRegularFile(out.resolve("model.safetensors")));
            assertTrue(Files.isRegularFile(out.resolve(MetricsLog.SUMMARY_FILE)));
            assertTrue(Files.isRegularFile(out.resolve("checkpoint-12/trainer_state.json")));
            try (CausalLm reloaded = ModelFolder.load(out, Compute.cpu())) {
                assertEquals(model.config().vocabSize(), reloaded.config().vocabSize());
            }
        }
    }

    @Test
    void resumingFromACheckpointGivesTheSameWeightsAsAStraightRun() {
        List<PreferencePair> pairs;
        Map<String, float[]> straight = new java.util.TreeMap<>();
        DpoConfig config;
        try (CausalLm model = model()) {
            pairs = annotated(model);
            config = new DpoConfig(0.3, DpoLossType.SIGMOID, 0.05, training(7, 3));
            new DpoTrainer(config, null).train(model, pairs, new TrainingRun(tmp.resolve("straight"), null, null));
            model.parameters().forEach((k, v) -> straight.put(k, v.toFloatArray()));
        }
        Path split = tmp.resolve("split");
        try (CausalLm model = model()) {
            TrainingSummary partial = new DpoTrainer(config, new TrainingListener() {
                        @Override
                        public boolean stopRequested() {
                            return true;
                        }
                    })
                    .train(model, pairs, new TrainingRun(split, null, null));
            assertTrue(partial.stoppedEarly());
            assertEquals(1, partial.globalStep());
        }
        try (CausalLm model = model()) {
            TrainingSummary partial = new DpoTrainer(config, new TrainingListener() {
                        int steps;

                        @Override
                        public void onStep(TrainingProgress progress) {
                            steps = progress.step();
                        }

                        @Override
                        public boolean stopRequested() {
                            return steps >= 4;
                        }
                    })
                    .train(model, pairs, new TrainingRun(split, null, null));
            assertEquals(4, partial.globalStep());
            // a stop leaves a checkpoint of its own step, so resuming from it would lose nothing
            assertEquals(split.resolve("checkpoint-4"), partial.lastCheckpoint());
        }
        // a fresh model object (as in a new process) continues from checkpoint-3, not from where it stopped
        try (CausalLm model = model()) {
            Path checkpoint = split.resolve("checkpoint-3");
            assertTrue(Files.isDirectory(checkpoint));
            assertFalse(Files.exists(split.resolve(".checkpoint-3.tmp")));
            TrainingSummary done =
                    new DpoTrainer(config, null).train(model, pairs, new TrainingRun(split, null, checkpoint));
            assertEquals(7, done.globalStep());
            assertNotNull(done.modelDir());
            for (Map.Entry<String, float[]> e : straight.entrySet()) {
                assertArrayEquals(
                        e.getValue(), model.parameters().get(e.getKey()).toFloatArray(), 1e-6f, e.getKey());
            }
        }
    }

    @Test
    void sftLowersCompletionCrossEntropy() {
        List<SftExample> examples = List.of(
                new SftExample(new int[] {1, 4}, new int[] {30, 31, 32, 2}),
                new SftExample(new int[] {1, 5, 6}, new int[] {40, 41, 2}),
                new SftExample(new int[] {1, 7}, new int[] {50, 51, 52, 53, 2}));
        try (CausalLm model = model()) {
            List<Double> losses = new ArrayList<>();
            TrainingConfig t = new TrainingConfig(
                    3e-2, 2, 1, 15, 0, 0.0, 0, LrSchedulerType.LINEAR, 0.0, 0.9, 0.999, 1e-8, 1.0, 3, 1, 0);
            TrainingSummary s = new SftTrainer(new SftConfig(t), new TrainingListener() {
                        @Override
                        public void onStep(TrainingProgress progress) {
                            losses.add(progress.loss());
                        }
                    })
                    .train(model, examples, new TrainingRun(tmp.resolve("sft"), null, null));
            assertEquals(30, s.globalStep());
            assertTrue(losses.get(0) > Math.log(61) - 1.5, losses.toString());
            assertTrue(losses.get(losses.size() - 1) < 0.5, losses.toString());
        }
    }
}
