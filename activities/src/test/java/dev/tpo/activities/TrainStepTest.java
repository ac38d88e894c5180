package dev.tpo.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import dev.tpo.activities.heartbeat.TrainProgress;
import dev.tpo.activities.heartbeat.WorkerDrain;
import dev.tpo.activities.storage.CheckpointStore;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.Failures;
import dev.tpo.api.activities.ReferenceLogProbsActivity;
import dev.tpo.api.activities.TrainActivity;
import dev.tpo.api.spec.ComputeSettings;
import dev.tpo.api.spec.DpoSettings;
import dev.tpo.api.steps.ReferenceLogProbsInput;
import dev.tpo.api.steps.TrainInput;
import dev.tpo.api.steps.TrainOutput;
import dev.tpo.model.CausalLm;
import dev.tpo.model.Compute;
import dev.tpo.model.ModelFolder;
import dev.tpo.train.PreferencePair;
import dev.tpo.train.TrainingData;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TrainStepTest {
    /** 4 pairs, one per step: 4 steps, checkpoints at 2 and 4. */
    private static final DpoSettings DPO =
            new DpoSettings(0.1, "sigmoid", 0.0, 1e-2, 1, 1, 1, 0.0, "linear", 0.0, 1.0, 2, null, null, null, null);

    @TempDir
    Path tempDir;

    private record Prepared(StepTestSupport support, TrainInput input) {}

    private Prepared prepare(String name) {
        StepTestSupport t = new StepTestSupport(tempDir, name);
        ArtifactRef policy = t.tinyModel("models/seed", 3);
        List<PreferencePair> pairs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pairs.add(new PreferencePair(
                    new int[] {100 + i, 101, 102},
                    new int[] {200 + i, 201},
                    new int[] {300 + i, 301, 302},
                    Double.NaN,
                    Double.NaN));
        }
        Path local = t.root.resolve("pairs.jsonl");
        new TrainingData().writePairs(local, pairs);
        ArtifactRef pairsRef = t.store.putFile("pairs/pairs.jsonl", local);
        TestActivityEnvironment env = StepTestSupport.activityEnvironment(new ReferenceLogProbsStep(t.services));
        ArtifactRef training;
        try {
            training = env.newActivityStub(ReferenceLogProbsActivity.class, StepTestSupport.ONE_ATTEMPT)
                    .referenceLogProbs(
                            new ReferenceLogProbsInput(t.run, 1, policy, pairsRef, ComputeSettings.defaults()));
        } finally {
            env.close();
        }
        Path annotated = t.root.resolve("training.jsonl");
        t.services.runStores().all().fetch(training, annotated);
        assertTrue(new TrainingData()
                .readPairs(annotated, true).stream()
                        .allMatch(p -> Double.isFinite(p.refChosenLogp()) && p.refChosenLogp() < 0));
        return new Prepared(t, new TrainInput(t.run, 1, policy, training, DPO, 5L, ComputeSettings.defaults()));
    }

    @Test
    void resumesFromStoredCheckpointAndMatchesUninterruptedTraining() throws Exception {
        Prepared whole = prepare("whole");
        TestActivityEnvironment env = StepTestSupport.activityEnvironment(new TrainStep(whole.support().services));
        TrainOutput uninterrupted;
        try {
            TrainActivity train = env.newActivityStub(TrainActivity.class, StepTestSupport.ONE_ATTEMPT);
            uninterrupted = train.train(whole.input());
            assertEquals(4, uninterrupted.steps());
            assertEquals(0, uninterrupted.resumedFromStep());
            assertNotNull(uninterrupted.metrics().get("rewards/margins"));
            TrainOutput again = train.train(whole.input());
            assertTrue(again.reused());
            assertEquals(uninterrupted.model(), again.model());
        } finally {
            env.close();
        }

        Prepared resumed = prepare("resumed");
        TrainProgress lastBeat = crashAtCheckpoint(resumed, 2);

        TestActivityEnvironment retry = StepTestSupport.activityEnvironment(new TrainStep(resumed.support().services));
        retry.setHeartbeatDetails(lastBeat);
        TrainOutput out;
        try {
            out = retry.newActivityStub(TrainActivity.class, StepTestSupport.ONE_ATTEMPT)
                    .train(resumed.input());
        } finally {
            retry.close();
        }
        assertEquals(2, out.resumedFromStep());
        assertEquals(4, out.steps());
        assertEquals(uninterrupted.metrics().get("loss"), out.metrics().get("loss"), 1e-5);
        List<String> metricLines =
                new String(StepTestSupport.bytes(out.metricsLog())).lines().toList();
        assertEquals(4, metricLines.size(), "the resumed log holds every step: " + metricLines);
        assertSameWeights(whole.support(), uninterrupted.model(), resumed.support(), out.model());
    }

    @Test
    void aDivergingRunFailsAsTrainingDivergedAndIsNotRetried() {
        Prepared p = prepare("diverged");
        // The first update moves every weight by about the learning rate: the next step's loss is not finite.
        DpoSettings huge =
                new DpoSettings(0.1, "sigmoid", 0.0, 1e30, 1, 1, 1, 0.0, "linear", 0.0, 1.0, 2, null, null, null, null);
        TrainInput in = p.input();
        TestActivityEnvironment env = StepTestSupport.activityEnvironment(new TrainStep(p.support().services));
        ActivityFailure failure;
        try {
            failure = assertThrows(
                    ActivityFailure.class,
                    () -> env.newActivityStub(TrainActivity.class, StepTestSupport.ONE_ATTEMPT)
                            .train(new TrainInput(
                                    in.run(),
                                    in.iteration(),
                                    in.policy(),
                                    in.trainingPairs(),
                                    huge,
                                    in.seed(),
                                    in.compute())));
        } finally {
            env.close();
        }
        ApplicationFailure cause = (ApplicationFailure) failure.getCause();
        assertEquals(Failures.TRAINING_DIVERGED, cause.getType());
        assertTrue(cause.isNonRetryable(), "a retry would resume the same checkpoint and diverge again");
        assertTrue(cause.getOriginalMessage().contains("training diverged at step"), cause.getOriginalMessage());
    }

    @Test
    void aCheckpointStoredAfterTheLastHeartbeatIsResumedFrom() throws Exception {
        Prepared p = prepare("unreported");
        // An attempt stored checkpoint 4 and ended before its output, and the heartbeat Temporal kept names
        // checkpoint 2: heartbeats are throttled, and a drain ends the attempt right after storing its checkpoint.
        // The retry still starts at 4.
        TestActivityEnvironment first = StepTestSupport.activityEnvironment(new TrainStep(p.support().services));
        try {
            first.newActivityStub(TrainActivity.class, StepTestSupport.ONE_ATTEMPT)
                    .train(p.input());
        } finally {
            first.close();
        }
        try (Stream<Path> files = Files.walk(p.support().root.resolve("store"))) {
            Files.delete(files.filter(f -> f.endsWith("train-output.json"))
                    .findFirst()
                    .orElseThrow());
        }
        assertTrue(Files.isRegularFile(listing(p, 4)), "checkpoint 4 is stored");
        TestActivityEnvironment retry = StepTestSupport.activityEnvironment(new TrainStep(p.support().services));
        retry.setHeartbeatDetails(new TrainProgress(3, 4, storedCheckpoint(p, 2)));
        TrainOutput out;
        try {
            out = retry.newActivityStub(TrainActivity.class, StepTestSupport.ONE_ATTEMPT)
                    .train(p.input());
        } finally {
            retry.close();
        }
        assertEquals(4, out.resumedFromStep());
        assertEquals(4, out.steps());
    }

    @Test
    void aCorruptNewestCheckpointIsNeverTrainedOnTheRetryFallsBackToTheOneBefore() throws Exception {
        Prepared p = prepare("corrupt-checkpoint");
        TestActivityEnvironment first = StepTestSupport.activityEnvironment(new TrainStep(p.support().services));
        try {
            first.newActivityStub(TrainActivity.class, StepTestSupport.ONE_ATTEMPT)
                    .train(p.input());
        } finally {
            first.close();
        }
        try (Stream<Path> files = Files.walk(p.support().root.resolve("store"))) {
            Files.delete(files.filter(f -> f.endsWith("train-output.json"))
                    .findFirst()
                    .orElseThrow());
        }
        ArtifactRef checkpoint4 = storedCheckpoint(p, 4);
        Path weights;
        try (Stream<Path> files = Files.list(listing(p, 4).getParent())) {
            weights = files.filter(f -> f.toString().endsWith(".safetensors"))
                    .findFirst()
                    .orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 1] ^= 0x01;
        Files.write(weights, bytes);

        TestActivityEnvironment retry = StepTestSupport.activityEnvironment(new TrainStep(p.support().services));
        retry.setHeartbeatDetails(new TrainProgress(4, 4, checkpoint4));
        TrainOutput out;
        try {
            out = retry.newActivityStub(TrainActivity.class, StepTestSupport.ONE_ATTEMPT)
                    .train(p.input());
        } finally {
            retry.close();
        }
        assertEquals(2, out.resumedFromStep(), "checkpoint 4's weights changed, so training redid steps 3 and 4");
        assertEquals(4, out.steps());
        // Training stored checkpoint 4 again on the way: it is whole once more.
        Path refetched = p.support().root.resolve("refetched");
        p.support().services.runStores().all().fetch(storedCheckpoint(p, 4), refetched);
        assertTrue(Files.isRegularFile(refetched.resolve(weights.getFileName())));
    }

    /** Trains until the checkpoint of {@code step} is stored and heartbeated, then cancels the attempt there. */
    private static TrainProgress crashAtCheckpoint(Prepared prepared, int step) {
        AtomicReference<TrainProgress> lastBeat = new AtomicReference<>();
        TestActivityEnvironment crashing =
                StepTestSupport.activityEnvironment(new TrainStep(prepared.support().services));
        crashing.setActivityHeartbeatListener(TrainProgress.class, p -> {
            lastBeat.set(p);
            if (p.checkpoint() != null && CheckpointStore.stepOf(p.checkpoint()) == step) {
                crashing.requestCancelActivity();
            }
        });
        try {
            assertThrows(
                    RuntimeException.class,
                    () -> crashing.newActivityStub(TrainActivity.class, StepTestSupport.ONE_ATTEMPT)
                            .train(prepared.input()));
        } finally {
            crashing.close();
        }
        assertEquals(step, CheckpointStore.stepOf(lastBeat.get().checkpoint()));
        return lastBeat.get();
    }

    /** The stored checkpoint of {@code step}, as a heartbeat carries it. */
    private static ArtifactRef storedCheckpoint(Prepared prepared, int step) throws IOException {
        Path root = prepared.support().root.resolve("store");
        String key = root.relativize(listing(prepared, step).getParent()).toString();
        return prepared.support().store.findFolder(key).orElseThrow();
    }

    /** The listing of stored checkpoint {@code step}, the object that makes the folder complete. */
    private static Path listing(Prepared prepared, int step) throws IOException {
        try (Stream<Path> files = Files.walk(prepared.support().root.resolve("store"))) {
            return files.filter(f -> f.endsWith(Path.of("checkpoint-" + step, "_listing.json")))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no stored checkpoint " + step));
        }
    }

    @Test
    void aDrainingWorkerStopsAtTheNextStepWithAStoredCheckpointAndTheRetryResumesThere() {
        Prepared drained = prepare("drained");
        drained.support().drain.request();
        AtomicReference<TrainProgress> lastBeat = new AtomicReference<>();
        TestActivityEnvironment draining =
                StepTestSupport.activityEnvironment(new TrainStep(drained.support().services));
        draining.setActivityHeartbeatListener(TrainProgress.class, lastBeat::set);
        ActivityFailure failure;
        try {
            failure = assertThrows(
                    ActivityFailure.class,
                    () -> draining.newActivityStub(TrainActivity.class, StepTestSupport.ONE_ATTEMPT)
                            .train(drained.input()));
        } finally {
            draining.close();
        }
        ApplicationFailure cause = (ApplicationFailure) failure.getCause();
        assertEquals(WorkerDrain.TYPE, cause.getType());
        assertFalse(cause.isNonRetryable(), "another worker retries it");
        // save_steps is 2, yet the stop at step 1 stored and heartbeated a checkpoint of step 1
        assertEquals(1, CheckpointStore.stepOf(lastBeat.get().checkpoint()));
        assertTrue(cause.getOriginalMessage().contains("step 1"), cause.getOriginalMessage());

        TestActivityEnvironment retry = StepTestSupport.activityEnvironment(
                new TrainStep(GenerateStepTest.withFreshDrain(drained.support().services)));
        retry.setHeartbeatDetails(lastBeat.get());
        TrainOutput out;
        try {
            out = retry.newActivityStub(TrainActivity.class, StepTestSupport.ONE_ATTEMPT)
                    .train(drained.input());
        } finally {
            retry.close();
        }
        assertEquals(1, out.resumedFromStep());
        assertEquals(4, out.steps());
    }

    @Test
    void loraTrainingSavesAPlainFolderWithTheAdaptersMerged() {
        Prepared p = prepare("lora");
        DpoSettings lora = new DpoSettings(
                0.1,
                "sigmoid",
                0.0,
                5e-2,
                1,
                1,
                1,
                0.0,
                "linear",
                0.0,
                1.0,
                2,
                2,
                8.0,
                0.0,
                List.of("q_proj", "up_proj"));
        TestActivityEnvironment env = StepTestSupport.activityEnvironment(new TrainStep(p.support().services));
        TrainOutput out;
        try {
            out = env.newActivityStub(TrainActivity.class, StepTestSupport.ONE_ATTEMPT)
                    .train(new TrainInput(
                            p.input().run(),
                            1,
                            p.input().policy(),
                            p.input().trainingPairs(),
                            lora,
                            5L,
                            ComputeSettings.defaults()));
        } finally {
            env.close();
        }
        assertEquals(4, out.steps());
        Path trained = p.support().services.models().folder(out.model());
        Path seed = p.support().services.models().folder(p.input().policy());
        try (CausalLm after = ModelFolder.load(trained, Compute.cpu());
                CausalLm before = ModelFolder.load(seed, Compute.cpu())) {
            assertTrue(after.parameters().keySet().stream().noneMatch(k -> k.contains("lora_")));
            String q = "model.layers.0.self_attn.q_proj.weight";
            assertTrue(
                    after.parameters()
                                    .get(q)
                                    .sub(before.parameters().get(q))
                                    .abs()
                                    .max()
                                    .getFloat()
                            > 0,
                    "the adapter was merged into q_proj");
            String k = "model.layers.0.self_attn.k_proj.weight";
            assertEquals(
                    0f,
                    after.parameters()
                            .get(k)
                            .sub(before.parameters().get(k))
                            .abs()
                            .max()
                            .getFloat(),
                    "projections without adapters are untouched");
        }
    }

    private void assertSameWeights(StepTestSupport a, ArtifactRef modelA, StepTestSupport b, ArtifactRef modelB) {
        Path dirA = a.services.models().folder(modelA);
        Path dirB = b.services.models().folder(modelB);
        try (CausalLm lmA = ModelFolder.load(dirA, Compute.cpu());
                CausalLm lmB = ModelFolder.load(dirB, Compute.cpu())) {
            for (Map.Entry<String, NDArray> e : lmA.parameters().entrySet()) {
                NDArray other = lmB.parameters().get(e.getKey());
                float diff = e.getValue().sub(other).abs().max().getFloat();
                assertTrue(diff <= 1e-5, e.getKey() + " differs by " + diff);
            }
        }
    }
}
