package dev.tpo.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpo.api.ArtifactRef;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunManifestTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @TempDir
    Path root;

    @Test
    void concurrentWritersEachAddTheirEntriesAndReadMergesThemInLineageOrder() throws Exception {
        FileArtifactStore store = new FileArtifactStore(root);
        int writers = 8;
        int perWriter = 12;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<ManifestEntry> written = new ArrayList<>();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int shard = 0; shard < writers; shard++) {
                List<ManifestEntry> mine = new ArrayList<>();
                for (int i = 0; i < perWriter; i++) {
                    mine.add(generation(store, 1 + i % 2, shard, i));
                }
                written.addAll(mine);
                RunManifest manifest = new RunManifest(store, "r1");
                Callable<Void> writer = () -> {
                    start.await();
                    mine.forEach(manifest::record);
                    return null;
                };
                done.add(pool.submit(writer));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }

        List<ManifestEntry> read = RunManifest.read(store, "r1");

        assertEquals(writers * perWriter, read.size());
        assertEquals(new HashSet<>(written), new HashSet<>(read));
        for (int i = 1; i < read.size(); i++) {
            ManifestEntry before = read.get(i - 1);
            ManifestEntry after = read.get(i);
            assertTrue(
                    before.iteration() < after.iteration()
                            || before.iteration() == after.iteration()
                                    && !before.createdAt().isAfter(after.createdAt()),
                    before + " then " + after);
        }
    }

    @Test
    void recordingTheSameArtifactAgainRewritesOneObject() {
        FileArtifactStore store = new FileArtifactStore(root);
        RunManifest manifest = new RunManifest(store, "r1");
        ManifestEntry first = generation(store, 1, 3, 0);
        ManifestEntry retried =
                ManifestEntry.of(first.toRef(), "generate", 1, 3, "act-3", 2, first.inputDigests(), T0.plusSeconds(60));

        ArtifactRef one = manifest.record(first);
        ArtifactRef two = manifest.record(retried);

        assertEquals(one.uri(), two.uri());
        assertEquals(manifest.entryKey(first), manifest.entryKey(retried));
        assertEquals(List.of(retried), manifest.entries());
        assertTrue(
                manifest.entryKey(first).matches("runs/r1/manifest/generate-[0-9a-f]{16}\\.json"),
                manifest.entryKey(first));
    }

    @Test
    void anArtifactRecomputedWithOtherBytesReplacesItsEntryInsteadOfAddingOne() {
        FileArtifactStore store = new FileArtifactStore(root);
        RunManifest manifest = new RunManifest(store, "r1");
        ManifestEntry original = generation(store, 1, 0, 0);
        ArtifactRef rewritten = store.putBytes(
                store.keyOf(original.uri()).orElseThrow(), "recomputed\n".getBytes(StandardCharsets.UTF_8));
        ManifestEntry recomputed =
                ManifestEntry.of(rewritten, "generate", 1, 0, "act-0", 3, original.inputDigests(), T0.plusSeconds(90));

        manifest.record(original);
        manifest.record(recomputed);

        assertNotEquals(original.sha256(), recomputed.sha256());
        assertEquals(List.of(recomputed), manifest.entries());
        assertEquals(Optional.of(recomputed), manifest.entry("generate", original.uri()));
        assertEquals(Optional.empty(), manifest.entry("judge", original.uri()));
    }

    @Test
    void entriesAreSnakeCaseJson() {
        FileArtifactStore store = new FileArtifactStore(root);
        RunManifest manifest = new RunManifest(store, "r1");
        ManifestEntry entry = generation(store, 2, null, 0);

        manifest.record(entry);
        String json = new String(store.readBytes(manifest.entryKey(entry)), StandardCharsets.UTF_8);

        for (String field : List.of(
                "\"uri\"",
                "\"sha256\"",
                "\"size\"",
                "\"step\"",
                "\"iteration\":2",
                "\"shard\":null",
                "\"activity_id\"",
                "\"attempt\":1",
                "\"input_digests\"",
                "\"created_at\":\"2025-01-01T00:00:00Z\"")) {
            assertTrue(json.contains(field), field + " missing in " + json);
        }
    }

    @Test
    void invalidEntriesAndRunIdsNameTheField() {
        FileArtifactStore store = new FileArtifactStore(root);
        ArtifactRef ref = store.putBytes("x.json", new byte[] {1});

        IllegalArgumentException badAttempt = assertThrows(
                IllegalArgumentException.class, () -> ManifestEntry.of(ref, "judge", 1, null, "act", 0, List.of(), T0));
        IllegalArgumentException badRun =
                assertThrows(IllegalArgumentException.class, () -> new RunManifest(store, "r1/../r2"));

        assertTrue(badAttempt.getMessage().contains("attempt")
                && badAttempt.getMessage().contains(ref.uri()));
        assertTrue(badRun.getMessage().contains("run id"), badRun.getMessage());
    }

    private static ManifestEntry generation(ArtifactStore store, int iteration, Integer shard, int index) {
        String key = "runs/r1/iter-" + iteration + "/generate/generations-" + shard + "-" + index + ".jsonl";
        ArtifactRef ref = store.putBytes(key, (key + "\n").getBytes(StandardCharsets.UTF_8));
        return ManifestEntry.of(
                ref,
                "generate",
                iteration,
                shard,
                "act-" + shard,
                1,
                List.of(Sha256.hex(new byte[] {(byte) iteration})),
                T0.plusSeconds(index));
    }
}
