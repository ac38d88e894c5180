package dev.tpo.artifacts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpo.api.ArtifactRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** Runs against a real S3 server: S3Proxy over a jclouds filesystem blob store, in this JVM. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class S3ArtifactStoreTest extends ArtifactStoreContractTest {
    private static final String BUCKET = "tpo-artifacts-test";
    private static final long MULTIPART_THRESHOLD = 6L * 1024 * 1024;
    private static final long PART_SIZE = 5L * 1024 * 1024;

    @TempDir
    static Path proxyStorage;

    private static S3ProxyFixture s3;

    private String prefix;

    @BeforeAll
    static void startProxy() throws Exception {
        s3 = new S3ProxyFixture(proxyStorage);
        S3Buckets.createIfMissing(s3.client(), BUCKET);
    }

    @AfterAll
    static void stopProxy() throws Exception {
        s3.close();
    }

    @Override
    ArtifactStore newStore() {
        // Each test gets its own prefix, so tests share the bucket without seeing each other's objects.
        prefix = "t-" + UUID.randomUUID();
        return new S3ArtifactStore(s3.client(), BUCKET, prefix, MULTIPART_THRESHOLD, PART_SIZE);
    }

    @Override
    void corruptOneByte(String key) {
        S3Client client = s3.client();
        String objectKey = prefix + "/" + key;
        ResponseBytes<GetObjectResponse> stored =
                client.getObjectAsBytes(b -> b.bucket(BUCKET).key(objectKey));
        byte[] bytes = stored.asByteArray();
        bytes[bytes.length / 2] ^= 0x01;
        client.putObject(
                b -> b.bucket(BUCKET).key(objectKey).metadata(stored.response().metadata()),
                RequestBody.fromBytes(bytes));
    }

    @Test
    void urisNameBucketAndPrefix() {
        ArtifactRef ref = store.putBytes("runs/r1/x.json", new byte[] {1});

        assertEquals("s3://" + BUCKET + "/" + prefix + "/runs/r1/x.json", ref.uri());
        assertEquals("s3://" + BUCKET + "/" + prefix + "/runs/r1/m/", store.folderUri("runs/r1/m"));
    }

    @Test
    void digestTravelsInUserMetadataSoFindNeedsNoDownload() {
        ArtifactRef ref = store.putBytes("a/report.json", "{\"win_rate\":0.5}".getBytes(StandardCharsets.UTF_8));

        HeadObjectResponse head = head("a/report.json");

        assertEquals(ref.sha256(), head.metadata().get("sha256"));
        assertFalse(head.eTag().contains("-"), "a small object is a single PUT, got ETag " + head.eTag());
    }

    @Test
    void bigFileGoesUpInThreePartsAndRoundTrips() throws IOException {
        Path big = writeRandom(local.resolve("model.safetensors"), 13 * 1024 * 1024, 11);

        ArtifactRef ref = store.putFile("m/model.safetensors", big);
        Path fetched = store.fetch(ref, local.resolve("fetched.safetensors"));

        HeadObjectResponse head = head("m/model.safetensors");
        // S3's ETag of a multipart object ends with "-<number of parts>": 5 + 5 + 3 MiB.
        assertTrue(head.eTag().replace("\"", "").endsWith("-3"), head.eTag());
        assertEquals(Sha256.hex(big), head.metadata().get("sha256"));
        assertEquals(Files.size(big), ref.size());
        assertEquals(Sha256.hex(big), Sha256.hex(fetched));
        assertEquals(Optional.of(ref), store.find("m/model.safetensors"));
    }

    @Test
    void aFailedMultipartUploadIsAbortedAndLeavesNoObject() throws IOException {
        Path file = writeRandom(local.resolve("short.bin"), 7 * 1024 * 1024, 5);
        S3MultipartUpload upload = new S3MultipartUpload(s3.client(), PART_SIZE);
        String objectKey = prefix + "/short.bin";

        // Claims more bytes than the file has, as if it shrank while being uploaded.
        assertThrows(
                IOException.class,
                () -> upload.upload(
                        BUCKET,
                        objectKey,
                        "s3://" + BUCKET + "/" + objectKey,
                        file,
                        12L * 1024 * 1024,
                        Map.of("sha256", "0".repeat(64))));

        assertEquals(Optional.empty(), store.find("short.bin"));
        assertTrue(s3.client()
                .listMultipartUploads(b -> b.bucket(BUCKET).prefix(objectKey))
                .uploads()
                .isEmpty());
    }

    @Test
    void findIgnoresObjectsThatCarryNoDigest() throws IOException {
        s3.client()
                .putObject(
                        b -> b.bucket(BUCKET).key(prefix + "/seed/prompts.jsonl"),
                        RequestBody.fromString("{\"id\":1}\n"));

        assertEquals(Optional.empty(), store.find("seed/prompts.jsonl"));
        ArtifactRef copied = store.fetchKey("seed/prompts.jsonl", local.resolve("prompts.jsonl"));
        assertEquals(Sha256.hex("{\"id\":1}\n".getBytes(StandardCharsets.UTF_8)), copied.sha256());
    }

    @Test
    void aSeedFolderUploadedByOtherToolsIsFetchableByUri() throws IOException {
        s3.client()
                .putObject(
                        b -> b.bucket(BUCKET).key(prefix + "/models/seed/config.json"),
                        RequestBody.fromString("{\"hidden_size\":8}"));
        s3.client().putObject(b -> b.bucket(BUCKET).key(prefix + "/models/seed/"), RequestBody.empty());
        ArtifactStores stores = ArtifactStores.withS3(s3.client());
        String uri = "s3://" + BUCKET + "/" + prefix + "/models/seed/";

        ArtifactRef ref = stores.locate(uri).fetch(local.resolve("seed"));

        assertEquals(uri, ref.uri());
        assertEquals("{\"hidden_size\":8}", Files.readString(local.resolve("seed/config.json")));
        assertArrayEquals(
                Files.readAllBytes(local.resolve("seed/config.json")),
                stores.read(new ArtifactRef(
                        "s3://" + BUCKET + "/" + prefix + "/models/seed/config.json",
                        Sha256.hex(local.resolve("seed/config.json")),
                        17)));
    }

    @Test
    void aMissingBucketIsNamedInTheError() {
        S3ArtifactStore nowhere = new S3ArtifactStore(s3.client(), "no-such-bucket-here", "");

        ArtifactStoreException e = assertThrows(ArtifactStoreException.class, () -> nowhere.readBytes("a.json"));

        assertTrue(e.getMessage().contains("s3://no-such-bucket-here/a.json"), e.getMessage());
    }

    @Test
    void creatingAnExistingBucketIsANoOp() {
        assertFalse(S3Buckets.createIfMissing(s3.client(), BUCKET));
        assertTrue(S3Buckets.createIfMissing(s3.client(), "tpo-second-bucket"));
    }

    @Test
    void errorsDoNotRevealTheSecretKey() {
        ArtifactStoreException e = assertThrows(
                ArtifactStoreException.class,
                () -> new S3ArtifactStore(s3.client(), "no-such-bucket-here", "").putBytes("a.json", new byte[1]));

        assertFalse(String.valueOf(e).contains(S3ProxyFixture.SECRET_KEY));
        assertFalse(s3.settings().toString().contains(S3ProxyFixture.SECRET_KEY));
    }

    @Test
    void manifestEntriesWrittenConcurrentlyAreAllRead() throws Exception {
        int writers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<ManifestEntry>> recorded = new ArrayList<>();
            for (int shard = 0; shard < writers * 3; shard++) {
                int id = shard;
                recorded.add(pool.submit(() -> {
                    ArtifactRef ref = store.putBytes(
                            "runs/r1/iter-1/judge/judgements-" + id + ".jsonl",
                            ("{\"shard\":" + id + "}\n").getBytes(StandardCharsets.UTF_8));
                    ManifestEntry entry = ManifestEntry.of(
                            ref,
                            "judge",
                            1,
                            id,
                            "judge-" + id,
                            1,
                            List.of(),
                            Instant.parse("2025-01-01T00:00:00Z").plusSeconds(id));
                    new RunManifest(store, "r1").record(entry);
                    return entry;
                }));
            }
            List<ManifestEntry> expected = new ArrayList<>();
            for (Future<ManifestEntry> future : recorded) {
                expected.add(future.get());
            }

            assertEquals(expected, RunManifest.read(store, "r1"));
        } finally {
            pool.shutdownNow();
        }
    }

    private HeadObjectResponse head(String key) {
        return s3.client().headObject(b -> b.bucket(BUCKET).key(prefix + "/" + key));
    }
}
