package dev.tpo.activities;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpo.activities.heartbeat.GenerateProgress;
import dev.tpo.activities.heartbeat.WorkerDrain;
import dev.tpo.activities.rows.GenerationRow;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.activities.GenerateActivity;
import dev.tpo.api.spec.ComputeSettings;
import dev.tpo.api.spec.GenerationSettings;
import dev.tpo.api.spec.ThoughtMode;
import dev.tpo.api.spec.ThoughtSettings;
import dev.tpo.api.steps.GenerateInput;
import dev.tpo.api.steps.GenerateOutput;
import dev.tpo.artifacts.FileArtifactStore;
import dev.tpo.artifacts.ManifestEntry;
import dev.tpo.artifacts.RunManifest;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class GenerateStepTest {
    private static final int PROMPTS = 4;
    /** K = 2 and 2 rows per batch: one prompt per chunk, so each prompt makes a part file. */
    private static final GenerationSettings SAMPLING = new GenerationSettings(2, 1.0, 1.0, 0, 6, 2);

    @TempDir
    Path tempDir;

    private GenerateInput input(StepTestSupport t, ArtifactRef policy) {
        StringBuilder shard = new StringBuilder();
        for (int i = 0; i < PROMPTS; i++) {
            shard.append("{\"index\":")
                    .append(10 + i)
                    .append(",\"id\":\"p")
                    .append(i)
                    .append("\",\"prompt\":\"Say something ")
                    .append(i)
                    .append("\",\"category\":\"chat\"}\n");
        }
        ArtifactRef prompts = t.putText("shards/shard-000.jsonl", shard.toString());
        return new GenerateInput(
                t.run,
                1,
                0,
                policy,
                prompts,
                new ThoughtSettings(ThoughtMode.NONE, null, null),
                SAMPLING,
                42L,
                ComputeSettings.defaults());
    }

    @Test
    void writesWellFormedRowsAndReusesFinishedOutput() {
        StepTestSupport t = new StepTestSupport(tempDir, "generate");
        GenerateInput in = input(t, t.tinyModel("models/seed", 1));
        TestActivityEnvironment env = StepTestSupport.activityEnvironment(new GenerateStep(t.services));
        try {
            GenerateActivity generate = env.newActivityStub(GenerateActivity.class, StepTestSupport.ONE_ATTEMPT);
            GenerateOutput out = generate.generate(in);
            assertFalse(out.reused());
            assertEquals(PROMPTS, out.prompts());
            assertEquals(2 * PROMPTS, out.samples());
            List<GenerationRow> rows =
                    t.services.json().readJsonl(StepTestSupport.bytes(out.generations()), GenerationRow.class);
            assertEquals(2 * PROMPTS, rows.size());
            for (GenerationRow row : rows) {
                assertTrue(row.promptIds().length > 0);
                assertTrue(row.completionIds().length > 0 && row.completionIds().length <= 6);
                assertNotNull(row.finishReason());
                assertEquals("chat", row.category());
                assertEquals(row.malformed(), row.response().isEmpty());
            }
            assertEquals(
                    out.generatedTokens(),
                    rows.stream().mapToLong(r -> r.completionIds().length).sum());

            Path final0 = Path.of(java.net.URI.create(out.generations().uri()));
            FileTime written = Files.getLastModifiedTime(final0);
            GenerateOutput again = generate.generate(in);
            assertTrue(again.reused());
            assertEquals(out.generations(), again.generations());
            assertEquals(written, Files.getLastModifiedTime(final0), "a reused output is not rewritten");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            env.close();
        }
    }

    @Test
    void aFinishedShardChangedInTheStoreIsRecomputedAndReplacesItsManifestEntry() throws Exception {
        StepTestSupport t = new StepTestSupport(tempDir, "generate");
        GenerateInput in = input(t, t.tinyModel("models/seed", 1));
        TestActivityEnvironment env = StepTestSupport.activityEnvironment(new GenerateStep(t.services));
        try {
            GenerateActivity generate = env.newActivityStub(GenerateActivity.class, StepTestSupport.ONE_ATTEMPT);
            GenerateOutput out = generate.generate(in);
            Path shard = Path.of(java.net.URI.create(out.generations().uri()));
            byte[] original = Files.readAllBytes(shard);
            // Still well-formed JSONL, so only the digest check can tell: a changed response that would be judged.
            String changed = new String(original, java.nio.charset.StandardCharsets.UTF_8)
                    .replaceFirst("\"response\":\"[^\"]*\"", "\"response\":\"CORRUPTED\"");
            Files.writeString(shard, changed);

            GenerateOutput again = generate.generate(in);

            assertFalse(again.reused(), "a stored shard that no longer matches its manifest entry is not reused");
            assertEquals(out.generations(), again.generations(), "recomputed from the stored parts, bit for bit");
            assertArrayEquals(original, Files.readAllBytes(shard));
            List<ManifestEntry> entries =
                    RunManifest.read(new FileArtifactStore(t.store.pathOf("artifacts")), t.run.runId());
            assertEquals(1, entries.size(), "the entry was replaced, not added to: " + entries);
            assertEquals(out.generations(), entries.get(0).toRef());
        } finally {
            env.close();
        }
    }

    @Test
    void resumedFromHeartbeatEqualsUninterruptedOutput() throws Exception {
        StepTestSupport whole = new StepTestSupport(tempDir, "whole");
        GenerateInput wholeInput = input(whole, whole.tinyModel("models/seed", 1));
        TestActivityEnvironment envWhole = StepTestSupport.activityEnvironment(new GenerateStep(whole.services));
        GenerateOutput uninterrupted;
        try {
            uninterrupted = envWhole.newActivityStub(GenerateActivity.class, StepTestSupport.ONE_ATTEMPT)
                    .generate(wholeInput);
        } finally {
            envWhole.close();
        }

        StepTestSupport resumed = new StepTestSupport(tempDir, "resumed");
        GenerateInput resumedInput = input(resumed, resumed.tinyModel("models/seed", 1));
        AtomicReference<GenerateProgress> lastBeat = new AtomicReference<>();
        TestActivityEnvironment crashing = StepTestSupport.activityEnvironment(new GenerateStep(resumed.services));
        // The attempt is cancelled once the first chunk is reported; it stops at its next heartbeat, as an
        // attempt whose heartbeat timed out would.
        crashing.setActivityHeartbeatListener(GenerateProgress.class, p -> {
            lastBeat.set(p);
            if (p.nextChunk() == 1) {
                crashing.requestCancelActivity();
            }
        });
        try {
            assertThrows(
                    RuntimeException.class,
                    () -> crashing.newActivityStub(GenerateActivity.class, StepTestSupport.ONE_ATTEMPT)
                            .generate(resumedInput));
        } finally {
            crashing.close();
        }
        Path parts = resumed.root.resolve("store");
        List<Path> stored = partFiles(parts);
        int done = lastBeat.get().nextChunk();
        assertTrue(done >= 1 && done < PROMPTS, "interrupted mid-shard, after chunk " + done);
        assertEquals(done, stored.size(), "parts stored: " + stored);
        FileTime firstPart = Files.getLastModifiedTime(stored.get(0));

        TestActivityEnvironment retry = StepTestSupport.activityEnvironment(new GenerateStep(resumed.services));
        retry.setHeartbeatDetails(lastBeat.get());
        List<GenerateProgress> beats = new ArrayList<>();
        retry.setActivityHeartbeatListener(GenerateProgress.class, beats::add);
        GenerateOutput out;
        try {
            out = retry.newActivityStub(GenerateActivity.class, StepTestSupport.ONE_ATTEMPT)
                    .generate(resumedInput);
        } finally {
            retry.close();
        }
        assertFalse(out.reused());
        assertEquals(firstPart, Files.getLastModifiedTime(stored.get(0)), "the finished chunk was not redone");
        assertEquals(PROMPTS, partFiles(parts).size());
        assertFalse(beats.isEmpty(), "the retry heartbeats its chunks");
        assertEquals(uninterrupted.generations().sha256(), out.generations().sha256());
        assertArrayEquals(StepTestSupport.bytes(uninterrupted.generations()), StepTestSupport.bytes(out.generations()));
    }

    @Test
    void aDrainingWorkerStopsAfterTheCurrentChunkAndTheRetryGeneratesOnlyTheRest() throws Exception {
        StepTestSupport t = new StepTestSupport(tempDir, "drained");
        GenerateInput in = input(t, t.tinyModel("models/seed", 1));
        TestActivityEnvironment draining = StepTestSupport.activityEnvironment(new GenerateStep(t.services));
        // SIGTERM arrives while the first chunk is being stored
        draining.setActivityHeartbeatListener(GenerateProgress.class, p -> t.drain.request());
        ActivityFailure failure;
        try {
            failure = assertThrows(
                    ActivityFailure.class,
                    () -> draining.newActivityStub(GenerateActivity.class, StepTestSupport.ONE_ATTEMPT)
                            .generate(in));
        } finally {
            draining.close();
        }
        ApplicationFailure cause = (ApplicationFailure) failure.getCause();
        assertEquals(WorkerDrain.TYPE, cause.getType());
        assertFalse(cause.isNonRetryable(), "another worker retries it");
        assertEquals(WorkerDrain.RETRY_AFTER, cause.getNextRetryDelay(), "at once, not after the retry backoff");
        assertTrue(cause.getOriginalMessage().contains("chunk 2 of " + PROMPTS), cause.getOriginalMessage());
        Path store = t.root.resolve("store");
        List<Path> stored = partFiles(store);
        assertEquals(1, stored.size(), "only the finished chunk is stored: " + stored);
        FileTime firstPart = Files.getLastModifiedTime(stored.get(0));

        StepServices elsewhere = withFreshDrain(t.services);
        TestActivityEnvironment retry = StepTestSupport.activityEnvironment(new GenerateStep(elsewhere));
        GenerateOutput out;
        try {
            out = retry.newActivityStub(GenerateActivity.class, StepTestSupport.ONE_ATTEMPT)
                    .generate(in);
        } finally {
            retry.close();
        }
        assertFalse(out.reused());
        assertEquals(PROMPTS, partFiles(store).size());
        assertEquals(firstPart, Files.getLastModifiedTime(stored.get(0)), "the stored chunk was not redone");
    }

    /** The same services in a worker that is not shutting down. */
    static StepServices withFreshDrain(StepServices s) {
        return new StepServices(
                s.workDir(),
                s.runStores(),
                s.json(),
                s.keys(),
                s.models(),
                s.recorder(),
                s.clock(),
                s.heartbeatEvery(),
                new WorkerDrain());
    }

    private static List<Path> partFiles(Path root) throws java.io.IOException {
        try (var walk = Files.walk(root)) {
            return walk.filter(p -> p.getFileName().toString().startsWith("part-"))
                    .sorted()
                    .toList();
        }
    }
}
