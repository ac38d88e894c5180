package dev.tpo.artifacts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpo.api.ArtifactRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every {@link ArtifactStore} must do, run against each implementation by a subclass. */
abstract class ArtifactStoreContractTest {
    @TempDir
    Path local;

    ArtifactStore store;

    /** A fresh, empty store for one test. */
    abstract ArtifactStore newStore() throws Exception;

    /** Changes one stored byte of {@code key} behind the store's back, keeping any stored digest as it was. */
    abstract void corruptOneByte(String key) throws Exception;

    @BeforeEach
    void createStore() throws Exception {
        store = newStore();
    }

    @Test
    void bytesRoundTripThroughReadAndFetch() throws IOException {
        byte[] data = "{\"prompt\":\"hi\"}\n".getBytes(StandardCharsets.UTF_8);

        ArtifactRef ref = store.putBytes("runs/r1/iter-1/select/prompts.jsonl", data);

        assertEquals(Sha256.hex(data), ref.sha256());
        assertEquals(data.length, ref.size());
        assertEquals(store.uri("runs/r1/iter-1/select/prompts.jsonl"), ref.uri());
        assertArrayEquals(data, store.read(ref));
        Path fetched = store.fetch(ref, local.resolve("out/prompts.jsonl"));
        assertArrayEquals(data, Files.readAllBytes(fetched));
    }

    @Test
    void fileRoundTripReplacesAnExistingDestination() throws IOException {
        Path source = writeRandom(local.resolve("gen.jsonl"), 300_000, 7);
        Path dest = Files.writeString(local.resolve("dest.jsonl"), "stale");

        ArtifactRef ref = store.putFile("runs/r1/iter-1/generate/generations-003.jsonl", source);
        store.fetch(ref, dest);

        assertEquals(Sha256.hex(source), ref.sha256());
        assertArrayEquals(Files.readAllBytes(source), Files.readAllBytes(dest));
    }

    @Test
    void findReturnsTheStoredReferenceOrEmpty() {
        ArtifactRef ref = store.putBytes("a/report.json", "{}".getBytes(StandardCharsets.UTF_8));

        assertEquals(Optional.of(ref), store.find("a/report.json"));
        assertEquals(Optional.empty(), store.find("a/missing.json"));
    }

    @Test
    void fetchOfCorruptedObjectNamesUriAndBothDigestsAndKeepsDestination() throws Exception {
        ArtifactRef ref = store.putBytes("a/pairs.jsonl", "chosen,rejected\n".getBytes(StandardCharsets.UTF_8));
        corruptOneByte("a/pairs.jsonl");
        Path dest = Files.writeString(local.resolve("pairs.jsonl"), "previous");

        ArtifactIntegrityException e = assertThrows(ArtifactIntegrityException.class, () -> store.fetch(ref, dest));

        assertEquals(ref.uri(), e.uri());
        assertEquals(ref.sha256(), e.expectedSha256());
        assertNotEquals(ref.sha256(), e.actualSha256());
        assertTrue(e.getMessage().contains(ref.uri()) && e.getMessage().contains(ref.sha256()), e.getMessage());
        assertEquals("previous", Files.readString(dest));
        assertThrows(ArtifactIntegrityException.class, () -> store.read(ref));
    }

    @Test
    void fetchOfMissingObjectNamesUri() {
        String uri = store.uri("a/never-written.jsonl");
        ArtifactRef ref = new ArtifactRef(uri, Sha256.hex(new byte[0]), 0);

        ArtifactNotFoundException e =
                assertThrows(ArtifactNotFoundException.class, () -> store.fetch(ref, local.resolve("x")));

        assertEquals(uri, e.uri());
        assertTrue(e.getMessage().contains(uri), e.getMessage());
        assertThrows(ArtifactNotFoundException.class, () -> store.readBytes("a/never-written.jsonl"));
    }

    @Test
    void folderRoundTrip() throws IOException {
        Path model = local.resolve("model");
        Files.createDirectories(model.resolve("tokenizer"));
        Files.writeString(model.resolve("config.json"), "{\"hidden_size\":8}");
        writeRandom(model.resolve("model.safetensors"), 1_000_000, 3);
        Files.writeString(model.resolve("tokenizer/tokenizer.json"), "{}");

        ArtifactRef ref = store.putFolder("runs/r1/iter-1/train/model", model);
        Path fetched = store.fetchFolder(ref, local.resolve("fetched"));

        assertTrue(ref.isFolder(), ref.uri());
        assertEquals(store.folderUri("runs/r1/iter-1/train/model"), ref.uri());
        assertEquals(1_000_000 + 17 + 2, ref.size());
        assertEquals(
                Sha256.ofListing(List.of(
                        entry(model, "config.json"),
                        entry(model, "model.safetensors"),
                        entry(model, "tokenizer/tokenizer.json"))),
                ref.sha256());
        for (String file : List.of("config.json", "model.safetensors", "tokenizer/tokenizer.json")) {
            assertArrayEquals(Files.readAllBytes(model.resolve(file)), Files.readAllBytes(fetched.resolve(file)), file);
        }
        assertEquals(Optional.of(ref), store.findFolder("runs/r1/iter-1/train/model"));
    }

    @Test
    void folderDigestDoesNotDependOnFileCreationOrder() throws IOException {
        Path first = local.resolve("first");
        Path second = local.resolve("second");
        Files.createDirectories(first.resolve("sub"));
        Files.createDirectories(second.resolve("sub"));
        Files.writeString(first.resolve("a.txt"), "alpha");
        Files.writeString(first.resolve("sub/b.txt"), "beta");
        Files.writeString(first.resolve("c.txt"), "gamma");
        Files.writeString(second.resolve("c.txt"), "gamma");
        Files.writeString(second.resolve("sub/b.txt"), "beta");
        Files.writeString(second.resolve("a.txt"), "alpha");

        ArtifactRef one = store.putFolder("ckpt/one", first);
        ArtifactRef two = store.putFolder("ckpt/two", second);

        assertEquals(one.sha256(), two.sha256());
        assertEquals(one.size(), two.size());
    }

    @Test
    void folderWithoutListingIsNotFound() throws IOException {
        Path part = Files.writeString(local.resolve("model.safetensors"), "half of a model");
        store.putFile("ckpt/step-10/model.safetensors", part);

        assertEquals(Optional.empty(), store.findFolder("ckpt/step-10"));
        ArtifactRef promised = new ArtifactRef(store.folderUri("ckpt/step-10"), Sha256.hex(new byte[0]), 0);
        ArtifactNotFoundException e =
                assertThrows(ArtifactNotFoundException.class, () -> store.fetchFolder(promised, local.resolve("out")));
        assertTrue(e.getMessage().contains(promised.uri()), e.getMessage());
    }

    @Test
    void fetchFolderDetectsACorruptedFile() throws Exception {
        Path model = local.resolve("model");
        Files.createDirectories(model);
        Files.writeString(model.resolve("config.json"), "{\"layers\":2}");
        Files.writeString(model.resolve("weights.bin"), "0123456789");
        ArtifactRef ref = store.putFolder("m", model);
        corruptOneByte("m/weights.bin");

        ArtifactIntegrityException e =
                assertThrows(ArtifactIntegrityException.class, () -> store.fetchFolder(ref, local.resolve("out")));

        assertEquals(store.uri("m/weights.bin"), e.uri());
    }

    @Test
    void fetchFolderRejectsAReferenceWithAnotherDigest() throws IOException {
        Path model = local.resolve("model");
        Files.createDirectories(model);
        Files.writeString(model.resolve("config.json"), "{}");
        ArtifactRef stored = store.putFolder("m", model);
        ArtifactRef other = new ArtifactRef(stored.uri(), Sha256.hex(new byte[] {1}), stored.size());

        ArtifactIntegrityException e =
                assertThrows(ArtifactIntegrityException.class, () -> store.fetchFolder(other, local.resolve("out")));

        assertEquals(stored.uri(), e.uri());
        assertEquals(stored.sha256(), e.actualSha256());
    }

    @Test
    void fetchFolderKeyCopiesAFolderThatHasNoListing() throws IOException {
        Path config = Files.writeString(local.resolve("config.json"), "{\"vocab_size\":32}");
        Path weights = Files.writeString(local.resolve("w.safetensors"), "weights");
        store.putFile("models/seed/config.json", config);
        store.putFile("models/seed/nested/w.safetensors", weights);

        ArtifactRef ref = store.fetchFolderKey("models/seed", local.resolve("seed"));

        assertEquals(store.folderUri("models/seed"), ref.uri());
        assertEquals(
                Sha256.ofListing(List.of(
                        new FolderEntry("config.json", Sha256.hex(config), Files.size(config)),
                        new FolderEntry("nested/w.safetensors", Sha256.hex(weights), Files.size(weights)))),
                ref.sha256());
        assertEquals("weights", Files.readString(local.resolve("seed/nested/w.safetensors")));
    }

    @Test
    void fetchKeyReturnsTheReferenceOfWhatWasCopied() throws IOException {
        ArtifactRef stored = store.putBytes("seed/prompts.jsonl", "{\"id\":1}\n".getBytes(StandardCharsets.UTF_8));

        ArtifactRef fetched = store.fetchKey("seed/prompts.jsonl", local.resolve("p.jsonl"));

        assertEquals(stored, fetched);
        assertEquals("{\"id\":1}\n", Files.readString(local.resolve("p.jsonl")));
    }

    @Test
    void listGivesKeysUnderAFolderSortedAndDeleteRemovesThem() {
        store.putBytes("runs/r1/b.json", new byte[] {1});
        store.putBytes("runs/r1/a/c.json", new byte[] {2});
        store.putBytes("runs/r10/d.json", new byte[] {3});

        assertEquals(List.of("runs/r1/a/c.json", "runs/r1/b.json"), store.list("runs/r1"));
        assertEquals(List.of(), store.list("runs/none"));

        store.delete("runs/r1");

        assertEquals(List.of(), store.list("runs/r1"));
        assertEquals(List.of("runs/r10/d.json"), store.list("runs/r10"));
    }

    @Test
    void keyOfInvertsUriAndFolderUri() {
        assertEquals(Optional.of("runs/r1/x.json"), store.keyOf(store.uri("runs/r1/x.json")));
        assertEquals(Optional.of("runs/r1/model"), store.keyOf(store.folderUri("runs/r1/model")));
        assertEquals(Optional.empty(), store.keyOf("s3://some-other-bucket/elsewhere/x.json"));
    }

    @Test
    void keysThatCouldEscapeTheStoreAreRejected() {
        for (String bad : List.of("../etc/passwd", "/abs", "a//b", "a/./b", "a/", "", "a\\b", "a/.tmp-x")) {
            assertThrows(IllegalArgumentException.class, () -> store.putBytes(bad, new byte[0]), bad);
        }
    }

    static Path writeRandom(Path file, int size, long seed) throws IOException {
        byte[] data = new byte[size];
        new java.util.Random(seed).nextBytes(data);
        Files.createDirectories(file.getParent());
        return Files.write(file, data);
    }

    private static FolderEntry entry(Path folder, String relative) throws IOException {
        Path file = folder.resolve(relative);
        return new FolderEntry(relative, Sha256.hex(file), Files.size(file));
    }
}
