package dev.tpo.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpo.api.ArtifactRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactStoresTest {
    @TempDir
    Path dir;

    @Test
    void aFileUriResolvesToItsPathOnThisMachine() throws IOException {
        Path seed = Files.createDirectories(dir.resolve("data/seed model"));
        Files.writeString(seed.resolve("config.json"), "{}");
        FileArtifactStore local = new FileArtifactStore(dir);
        String uri = local.folderUri("data/seed model");

        ArtifactLocation location = ArtifactStores.localOnly().locate(uri);

        assertTrue(location.folder());
        assertEquals(dir.toAbsolutePath().resolve("data/seed model").toString().substring(1), location.key());
        ArtifactRef ref = location.fetch(dir.resolve("copy"));
        assertEquals(uri, ref.uri());
        assertEquals("{}", Files.readString(dir.resolve("copy/config.json")));
    }

    @Test
    void referencesFromAnyStoreAreFetchedAndVerified() throws IOException {
        FileArtifactStore producer = new FileArtifactStore(dir.resolve("store"));
        ArtifactRef file = producer.putBytes("runs/r1/pairs.jsonl", "{}\n".getBytes());
        Path model = Files.createDirectories(dir.resolve("model"));
        Files.writeString(model.resolve("config.json"), "{}");
        ArtifactRef folder = producer.putFolder("runs/r1/model", model);
        ArtifactStores stores = ArtifactStores.localOnly();

        stores.fetch(file, dir.resolve("in/pairs.jsonl"));
        stores.fetch(folder, dir.resolve("in/model"));

        assertEquals("{}\n", Files.readString(dir.resolve("in/pairs.jsonl")));
        assertEquals("{}", Files.readString(dir.resolve("in/model/config.json")));
        assertEquals(folder, stores.locate(folder.uri()).find().orElseThrow());
    }

    @Test
    void anS3UriPicksTheBucketsStoreOncePerBucket() {
        Map<String, ArtifactStore> created = new HashMap<>();
        ArtifactStores stores = new ArtifactStores(bucket -> {
            ArtifactStore store = new FileArtifactStore(dir.resolve(bucket));
            created.put(bucket, store);
            return store;
        });

        ArtifactLocation first = stores.locate("s3://tpo-runs/models/seed/");
        ArtifactLocation second = stores.locate("s3://tpo-runs/runs/r1/report.json");

        assertEquals("models/seed", first.key());
        assertTrue(first.folder());
        assertEquals("runs/r1/report.json", second.key());
        assertFalse(second.folder());
        assertSame(first.store(), second.store());
        assertEquals(List.of("tpo-runs"), List.copyOf(created.keySet()));
    }

    @Test
    void unresolvableUrisAreNamedInTheError() {
        ArtifactStores stores = ArtifactStores.localOnly();
        for (String uri : List.of(
                "http://example.com/x",
                "s3://bucket-only",
                "s3://bucket/",
                "file:///",
                "file:relative/path",
                "s3://b/a/../../etc",
                "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> stores.locate(uri), uri);
            assertTrue(e.getMessage().contains(uri), e.getMessage());
        }
        IllegalArgumentException noS3 =
                assertThrows(IllegalArgumentException.class, () -> stores.locate("s3://tpo-runs/x.json"));
        assertTrue(noS3.getMessage().contains("s3://tpo-runs/"), noS3.getMessage());
    }
}
