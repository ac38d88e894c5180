package dev.tpo.workers;

import static dev.tpo.workers.DurabilityHarness.kill;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpo.activities.heartbeat.GenerateProgress;
import dev.tpo.activities.heartbeat.TrainProgress;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.spec.TaskQueues;
import dev.tpo.api.steps.IterationSummary;
import dev.tpo.api.steps.RunResult;
import dev.tpo.artifacts.ArtifactStores;
import dev.tpo.artifacts.ManifestEntry;
import dev.tpo.artifacts.RunManifest;
import dev.tpo.artifacts.S3Buckets;
import dev.tpo.workflows.TpoRunWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The artifact store fails under a run on the official Temporal server, every worker its own JVM: S3 (S3Proxy) is
 * stopped for a minute while a generation shard is half done and started again on the same port and data; while it
 * is down, the other, finished shard's file is changed on the server's disk (still well-formed JSONL, so only its
 * digest tells); later the newest training checkpoint's weights are changed while its GPU worker is SIGKILLed. The
 * run must complete: the generation retried with backoff through the outage, the judge's integrity failure made the
 * workflow generate the changed shard again (from its verified parts) and judge it once more, and training resumed
 * from the checkpoint before the changed one. Nothing else stored was written again, the changed bytes were never
 * judged or trained on, and the manifest has one entry per artifact, each matching what is stored.
 *
 * <p>One test for the three faults: the minute of outage is the floor of its wall time, and the run it interrupts
 * serves the other two.
 */
@Tag("real-server")
@Tag("multi-process")
class StoreFaultsTest {
    private static final String RUN = "runs/" + DurabilityHarness.RUN_ID + "/";
    private static final String GENERATE = RUN + "iter-1/generate/";
    private static final String TRAIN = RUN + "iter-1/train/";
    private static final Duration OUTAGE = Duration.ofSeconds(60);
    private static final String CORRUPT_MARK = "CORRUPTED-BY-TEST";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    private LocalS3Server s3Server;
    private RealTemporalServer temporal;
    private DurabilityHarness harness;

    @AfterEach
    void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
        if (temporal != null) {
            temporal.close();
        }
        if (s3Server != null) {
            s3Server.close();
        }
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void aMinuteWithoutS3AndCorruptedArtifactsAreSurvivedRecomputingOnlyWhatChanged() throws Exception {
        // Fails (naming the install script) when the Temporal CLI is missing: never skipped.
        Path cli = TemporalCli.locate(null);
        temporal = RealTemporalServer.start(
                cli,
                DurabilityHarness.freePort(),
                DurabilityHarness.freePort(),
                tmp.resolve("temporal/temporal.db"),
                tmp.resolve("temporal/server.log"));
        int s3Port = DurabilityHarness.freePort();
        Path s3Data = tmp.resolve("s3");
        s3Server = LocalS3Server.start(s3Port, s3Data);
        harness = new DurabilityHarness(tmp);
        harness.connectTo(temporal.clientSettings(), s3Server.clientSettings());
        S3Client s3 = harness.s3();
        S3Buckets.createIfMissing(s3, DevStack.BUCKET);
        WorkflowClient client = harness.client();
        harness.worker("control", "control-1");
        Process gpu1 = harness.worker("gpu", "gpu-1");
        TpoRunWorkflow run = client.newWorkflowStub(
                TpoRunWorkflow.class,
                WorkflowOptions.newBuilder()
                        .setWorkflowId(DurabilityHarness.RUN_ID)
                        .setTaskQueue(TaskQueues.DEFAULT_CONTROL)
                        .build());
        WorkflowClient.start(run::run, harness.spec(4), null);
        CompletableFuture<RunResult> result = WorkflowStub.fromTyped(run).getResultAsync(RunResult.class);

        // One shard finished (the GPU worker runs one at a time) and the other has stored a chunk: S3 goes down.
        harness.await(
                client,
                result,
                "Generate",
                GenerateProgress.class,
                p -> p.size() == 1
                        && p.get(0).details() != null
                        && p.get(0).details().nextChunk() >= 1);
        Map<String, Instant> storedBeforeOutage = DurabilityHarness.objects(s3, RUN);
        s3Server.close();
        long outageStarted = System.nanoTime();
        harness.note("generate: S3 stopped");
        String finishedShardKey = storedBeforeOutage.keySet().stream()
                .filter(k -> k.startsWith(GENERATE) && k.matches(".*/generations-\\d{3}\\.jsonl"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("a shard is stored: " + storedBeforeOutage.keySet()));
        Path finishedShardFile = onDisk(s3Data, finishedShardKey);
        byte[] finishedShard = Files.readAllBytes(finishedShardFile);
        // In place (the object's metadata, its stored digest among them, stays): what a bad disk or a careless
        // hand does, not an upload.
        Files.writeString(
                finishedShardFile,
                new String(finishedShard, StandardCharsets.UTF_8)
                        .replaceAll("\"response\":\"[^\"]*\"", "\"response\":\"" + CORRUPT_MARK + "\""));
        long left = OUTAGE.toNanos() - (System.nanoTime() - outageStarted);
        // The fault itself is a duration, not an event to wait for.
        Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(left)));
        s3Server = LocalS3Server.start(s3Port, s3Data);
        harness.note("S3 started again after " + (System.nanoTime() - outageStarted) / 1_000_000_000 + " s");

        // Training has stored and heartbeated a checkpoint: the GPU worker dies, and the newest checkpoint's weights
        // change on disk before a fresh worker takes over.
        harness.awaitHeartbeat(client, result, "Train", TrainProgress.class, d -> d.checkpoint() != null);
        kill(gpu1);
        int corruptedStep = newestCheckpoint(DurabilityHarness.objects(s3, TRAIN));
        Path weights = checkpointWeights(s3Data, corruptedStep);
        byte[] changed = Files.readAllBytes(weights);
        changed[changed.length - 1] ^= 0x01;
        Files.write(weights, changed);
        harness.note("train: killed gpu-1 and changed checkpoint " + corruptedStep);
        harness.worker("gpu", "gpu-2");

        RunResult done = result.get(8, TimeUnit.MINUTES);
        Map<String, Integer> scheduled = scheduledActivities(client);
        harness.note("run completed; activities scheduled " + scheduled + "; last attempts "
                + DurabilityHarness.attempts(client) + "; failed attempts by worker " + harness.failedAttempts());
        assertEquals("completed", done.status());
        IterationSummary iteration = done.iterations().get(0);
        assertTrue(iteration.pairs().pairs() > 0);
        int resumedFrom = iteration.trainResumedFromStep();
        harness.note("training resumed from step " + resumedFrom + " (checkpoint " + corruptedStep + " was changed)");

        // The outage: the interrupted shard failed while S3 was down and a later attempt, after backoff, finished it.
        assertTrue(
                harness.failedAttempts().contains("Generate#1"),
                "generation failed an attempt during the outage: " + harness.failedAttempts());
        // The changed shard: generated a second time (three Generate activities for two shards) and judged again.
        assertEquals(3, scheduled.get("Generate"), "one regeneration: " + scheduled);
        assertEquals(2, scheduled.get("Judge"), "one judge rerun: " + scheduled);
        assertArrayEquals(
                finishedShard,
                s3.getObjectAsBytes(b -> b.bucket(DevStack.BUCKET).key(finishedShardKey))
                        .asByteArray(),
                "the changed shard recomputed from its stored parts, bit for bit");
        // The corrupt checkpoint: not resumed from.
        assertTrue(
                resumedFrom < corruptedStep,
                "training resumed from step " + resumedFrom + ", before the changed checkpoint " + corruptedStep);

        // Nothing stored before the outage was written again but the shard that was changed.
        Map<String, Instant> after = DurabilityHarness.objects(s3, RUN);
        storedBeforeOutage.forEach((key, time) -> {
            if (key.equals(finishedShardKey)) {
                assertNotEquals(time, after.get(key), key + " was recomputed and written again");
            } else if (!key.startsWith(RUN + "manifest/")) {
                assertEquals(time, after.get(key), key + " was rewritten");
            }
        });
        // Never judged or trained on: no changed response reached the judgements, the pairs or the training data.
        for (String key : after.keySet()) {
            if (key.contains("/judge/") || key.contains("/pair/") || key.contains("/reference/")) {
                String text = new String(
                        s3.getObjectAsBytes(b -> b.bucket(DevStack.BUCKET).key(key))
                                .asByteArray(),
                        StandardCharsets.UTF_8);
                assertFalse(text.contains(CORRUPT_MARK), key + " holds the changed bytes");
            }
        }

        // The manifest: one entry per artifact, each matching what is stored (none left over from the bad bytes).
        ArtifactStores stores = ArtifactStores.withS3(s3);
        List<ManifestEntry> manifest = RunManifest.read(
                stores.locate("s3://" + DevStack.BUCKET + "/runs/").store(), DurabilityHarness.RUN_ID);
        assertEquals(
                manifest.size(),
                manifest.stream().map(ManifestEntry::uri).distinct().count(),
                "no duplicate entries: " + manifest);
        assertEquals(
                2,
                manifest.stream().filter(e -> e.step().equals("generate")).count(),
                "one entry per generation shard: " + manifest);
        int i = 0;
        for (ManifestEntry entry : manifest) {
            ArtifactRef ref = entry.toRef();
            // Throws (integrity or not found) for an entry whose artifact is not stored as recorded.
            stores.fetch(ref, tmp.resolve("verify/" + i++ + (ref.isFolder() ? "/" : ".bin")));
        }
        long generated = after.keySet().stream()
                .filter(k -> k.startsWith(GENERATE) && k.matches(".*/generations-\\d{3}\\.jsonl"))
                .count();
        assertEquals(2, generated, "no stray shard files: " + after.keySet());
    }

    /** Where S3Proxy's filesystem store keeps the object at {@code key}: one file per object under its bucket. */
    private static Path onDisk(Path s3Data, String key) {
        Path file = s3Data.resolve(DevStack.BUCKET).resolve(key);
        assertTrue(Files.isRegularFile(file), "S3Proxy keeps " + key + " at " + file);
        return file;
    }

    private static Path checkpointWeights(Path s3Data, int step) throws Exception {
        try (Stream<Path> files = Files.walk(s3Data.resolve(DevStack.BUCKET).resolve(TRAIN))) {
            return files.filter(f -> f.toString().contains("/checkpoints/checkpoint-" + step + "/"))
                    .filter(f -> f.toString().endsWith(".safetensors"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no weights in checkpoint " + step));
        }
    }

    private static int newestCheckpoint(Map<String, Instant> trainObjects) {
        return trainObjects.keySet().stream()
                .filter(k -> k.contains("/checkpoints/") && k.endsWith("/_listing.json"))
                .mapToInt(DurabilityHarness::checkpointStep)
                .max()
                .orElseThrow(() -> new AssertionError("no complete checkpoint in " + trainObjects.keySet()));
    }

    /** How many activities of each type the iteration scheduled (retries of one activity are not new ones). */
    private static Map<String, Integer> scheduledActivities(WorkflowClient client) {
        Map<String, Integer> out = new TreeMap<>();
        for (var e : client.fetchHistory(DurabilityHarness.RUN_ID + "-iter-1").getEvents()) {
            if (e.hasActivityTaskScheduledEventAttributes()) {
                out.merge(
                        e.getActivityTaskScheduledEventAttributes()
                                .getActivityType()
                                .getName(),
                        1,
                        Integer::sum);
            }
        }
        return new HashMap<>(out);
    }
}
