package dev.tpo.workers;

import static dev.tpo.workers.DurabilityHarness.kill;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpo.activities.heartbeat.GenerateProgress;
import dev.tpo.activities.heartbeat.TrainProgress;
import dev.tpo.api.spec.TaskQueues;
import dev.tpo.api.steps.IterationSummary;
import dev.tpo.api.steps.RunResult;
import dev.tpo.artifacts.ArtifactStores;
import dev.tpo.artifacts.ManifestEntry;
import dev.tpo.artifacts.RunManifest;
import dev.tpo.workers.DurabilityHarness.Pending;
import dev.tpo.workflows.TpoRunWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Nodes die mid-iteration and fresh ones take over, on the official Temporal server (SQLite history) with every
 * worker its own JVM started as {@code tpo worker --role control|gpu}: the control worker (which holds the workflow
 * task polls and the run's cached workflows) is SIGKILLed during generation and again during training, GPU workers are
 * SIGKILLed during generation and training, and one is stopped with SIGTERM during training (it drains). The run must
 * complete without recomputing any stored work, and training must resume from its checkpoint.
 *
 * <p>This is the one crash test: the Java test server loses a workflow task when a process polling workflow tasks is
 * SIGKILLed (../shared/architecture.md), so the real server is what this behaviour can be tested on.
 */
@Tag("real-server")
@Tag("multi-process")
class WorkerCrashTest {
    private static final String GENERATE = "runs/" + DurabilityHarness.RUN_ID + "/iter-1/generate/";
    private static final String TRAIN = "runs/" + DurabilityHarness.RUN_ID + "/iter-1/train/";
    private static final String MANIFEST = "runs/" + DurabilityHarness.RUN_ID + "/manifest/";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    private DurabilityHarness harness;

    @AfterEach
    void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void killedControlAndGpuWorkersLoseNoFinishedWorkAndTrainingResumesFromItsCheckpoint() throws Exception {
        harness = DurabilityHarness.onRealDevStack(tmp);
        WorkflowClient client = harness.client();
        S3Client s3 = harness.s3();

        var spec = harness.spec(6);
        Process control1 = harness.worker("control", "control-1");
        Process gpu1 = harness.worker("gpu", "gpu-1");
        TpoRunWorkflow run = client.newWorkflowStub(
                TpoRunWorkflow.class,
                WorkflowOptions.newBuilder()
                        .setWorkflowId(DurabilityHarness.RUN_ID)
                        .setTaskQueue(TaskQueues.DEFAULT_CONTROL)
                        .build());
        WorkflowClient.start(run::run, spec, null);
        CompletableFuture<RunResult> result = WorkflowStub.fromTyped(run).getResultAsync(RunResult.class);

        // Generation: one shard finished (the GPU worker runs one at a time) and the other has stored a chunk.
        // Then the whole node goes: control and GPU worker alike.
        List<Pending<GenerateProgress>> generating = harness.await(
                client,
                result,
                "Generate",
                GenerateProgress.class,
                p -> p.size() == 1
                        && p.get(0).details() != null
                        && p.get(0).details().nextChunk() >= 1);
        kill(control1);
        kill(gpu1);
        harness.note("generate: killed control-1 and gpu-1 at chunk "
                + generating.get(0).details().nextChunk() + " of the second shard");
        Map<String, Instant> generatedBeforeKill = DurabilityHarness.objects(s3, GENERATE);
        Map<String, Instant> manifestBeforeKill = DurabilityHarness.objects(s3, MANIFEST);
        List<String> finishedShards = generatedBeforeKill.keySet().stream()
                .filter(k -> k.matches(".*/generations-\\d{3}\\.jsonl"))
                .toList();
        assertEquals(1, finishedShards.size(), "one shard was finished at the kill: " + generatedBeforeKill.keySet());
        long partsBeforeKill = generatedBeforeKill.keySet().stream()
                .filter(k -> k.contains("/parts/"))
                .count();
        assertTrue(
                partsBeforeKill >= 8 + generating.get(0).details().nextChunk(),
                "the finished shard's 8 parts and " + "the heartbeated chunks of the other are stored: "
                        + generatedBeforeKill.keySet());

        Process control2 = harness.worker("control", "control-2");
        Process gpu2 = harness.worker("gpu", "gpu-2");

        // Training has stored and heartbeated a checkpoint: the node goes again.
        harness.awaitHeartbeat(client, result, "Train", TrainProgress.class, d -> d.checkpoint() != null);
        kill(control2);
        kill(gpu2);
        // A checkpoint whose upload the kill cut short (no listing yet) is not finished: the retry writes it again.
        Map<String, Instant> checkpointsBeforeKill = completeCheckpoints(DurabilityHarness.objects(s3, TRAIN));
        int killedCheckpoint = newestCheckpoint(checkpointsBeforeKill);
        harness.note("train: killed control-2 and gpu-2 after checkpoint " + killedCheckpoint);

        harness.worker("control", "control-3");
        Process gpu3 = harness.worker("gpu", "gpu-3");
        // The retry on gpu-3 heartbeats a later step (until then the pending activity shows gpu-2's last details).
        // SIGTERM (an eviction, a spot notice): the worker drains. Training checkpoints its current step, the attempt
        // fails as retryable, and the process exits cleanly long before its 60 s grace.
        harness.await(
                client,
                result,
                "Train",
                TrainProgress.class,
                p -> p.size() == 1
                        && p.get(0).heartbeatingOn(gpu3)
                        && p.get(0).details().step() >= killedCheckpoint + 2);
        gpu3.destroy();
        harness.note("train: SIGTERM to gpu-3");
        assertTrue(gpu3.waitFor(30, TimeUnit.SECONDS), "the drained worker exits");
        String gpu3Log = Files.readString(harness.log("gpu-3"));
        assertFalse(gpu3Log.contains("fatal error"), "no native crash on the way out:\n" + gpu3Log);
        // Its heartbeat may not have got out (heartbeats are throttled) but the store has it.
        int drainedCheckpoint = newestCheckpoint(DurabilityHarness.objects(s3, TRAIN));
        assertTrue(
                drainedCheckpoint > killedCheckpoint,
                "the drain stored a checkpoint of its own step (" + drainedCheckpoint + " after " + killedCheckpoint
                        + ")");

        harness.worker("gpu", "gpu-4");
        harness.note("train: gpu-3 drained at checkpoint " + drainedCheckpoint);
        RunResult done = result.get(8, TimeUnit.MINUTES);
        harness.note("run completed; last attempt of each step " + DurabilityHarness.attempts(client)
                + "; failed attempts by worker " + harness.failedAttempts());

        assertEquals("completed", done.status());
        IterationSummary iteration = done.iterations().get(0);
        assertTrue(iteration.pairs().pairs() > 0);
        // From the drain's checkpoint, or a later one where the machine's load made a heartbeat late once more.
        int resumedFrom = iteration.trainResumedFromStep();
        assertTrue(
                resumedFrom >= drainedCheckpoint,
                "training resumed from step " + resumedFrom + ", not from the " + "drain's checkpoint "
                        + drainedCheckpoint + " or later");

        // Nothing stored before a kill was written again: same objects, same last-modified times (the retries came
        // seconds later), and the rest was added beside them.
        Map<String, Instant> generated = DurabilityHarness.objects(s3, GENERATE);
        generatedBeforeKill.forEach((key, time) -> assertEquals(time, generated.get(key), key + " was rewritten"));
        assertEquals(
                16,
                generated.keySet().stream().filter(k -> k.contains("/parts/")).count(),
                "one part per prompt (4 samples each, batch 4): " + generated.keySet());
        Map<String, Instant> trained = DurabilityHarness.objects(s3, TRAIN);
        checkpointsBeforeKill.forEach((key, time) -> assertEquals(time, trained.get(key), key + " was rewritten"));
        assertTrue(
                trained.keySet().stream()
                        .anyMatch(k -> k.endsWith("/checkpoints/checkpoint-" + resumedFrom + "/_listing.json")),
                "the checkpoint training resumed from is stored: " + trained.keySet());
        // Manifest entries are rewritten when an artifact is recorded again (by the attempt that produced it).
        Map<String, Instant> manifested = DurabilityHarness.objects(s3, MANIFEST);
        manifestBeforeKill.forEach((key, time) -> assertEquals(time, manifested.get(key), key + " was rewritten"));

        // The manifest names the attempt that produced each artifact: the interrupted shard and training by
        // retries, each recorded once.
        List<ManifestEntry> manifest = RunManifest.read(
                ArtifactStores.withS3(s3)
                        .locate("s3://" + DevStack.BUCKET + "/runs/")
                        .store(),
                DurabilityHarness.RUN_ID);
        List<ManifestEntry> generations =
                manifest.stream().filter(e -> e.step().equals("generate")).toList();
        assertEquals(2, generations.size(), "one entry per shard: " + generations);
        ManifestEntry interrupted = generations.stream()
                .filter(e -> !e.uri().endsWith(finishedShards.get(0)))
                .findFirst()
                .orElseThrow();
        assertTrue(interrupted.attempt() >= 2, "the interrupted shard was finished by a retry: " + interrupted);
        List<ManifestEntry> training =
                manifest.stream().filter(e -> e.step().equals("train")).toList();
        assertFalse(training.isEmpty(), "training is in the manifest");
        training.forEach(e -> assertTrue(e.attempt() >= 3, "training finished on its third attempt or later: " + e));
    }

    /** The objects of {@code trainObjects} but those of checkpoint folders whose listing is not stored yet. */
    private static Map<String, Instant> completeCheckpoints(Map<String, Instant> trainObjects) {
        Map<String, Instant> out = new java.util.TreeMap<>(trainObjects);
        out.keySet()
                .removeIf(k -> k.contains("/checkpoints/")
                        && !trainObjects.containsKey(k.substring(0, k.indexOf('/', k.indexOf("/checkpoints/") + 13) + 1)
                                + "_listing.json"));
        return out;
    }

    /** The highest step among complete stored checkpoints (a folder is complete once its listing is stored). */
    private static int newestCheckpoint(Map<String, Instant> trainObjects) {
        return trainObjects.keySet().stream()
                .filter(k -> k.contains("/checkpoints/") && k.endsWith("/_listing.json"))
                .mapToInt(DurabilityHarness::checkpointStep)
                .max()
                .orElseThrow(() -> new AssertionError("no complete checkpoint in " + trainObjects.keySet()));
    }
}
