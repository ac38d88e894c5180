package dev.tpo.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.artifacts.ArtifactStores;
import dev.tpo.artifacts.FolderListing;
import dev.tpo.artifacts.ManifestEntry;
import dev.tpo.artifacts.RunManifest;
import dev.tpo.artifacts.Sha256;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The durability tests' audit of a finished run's manifest against its store: no duplicate and no orphan, in both
 * directions, with every digest checked.
 */
final class ManifestAudit {
    private static final String RUN = "runs/" + DurabilityHarness.RUN_ID + "/";
    /** The files each step records in the manifest (checkpoints, generation parts and step outputs' own records aside). */
    private static final Pattern RECORDED_OUTPUT = Pattern.compile(RUN
            + "iter-\\d+/(select/.+/(prompts|shards/shard-\\d{3})\\.jsonl"
            + "|generate/.+/generations-\\d{3}\\.jsonl"
            + "|judge/.+/judgements-\\d{3}\\.jsonl"
            + "|pair/.+/pairs\\.jsonl"
            + "|reference/.+/training-pairs\\.jsonl"
            + "|train/.+/(model/_listing\\.json|metrics\\.jsonl)"
            + "|answer/.+/answers-[^/]+\\.jsonl"
            + "|evaluate/.+/(eval-judgements\\.jsonl|eval-summary\\.json|alpaca-eval\\.json|arena-hard\\.jsonl))");

    private ManifestAudit() {}

    /**
     * One manifest entry per artifact (by URI, and by iteration, step, shard and file), each naming a stored object
     * with its digest and size; and every stored step output has its entry.
     */
    static void assertOneEntryPerStoredOutput(S3Client s3, int expectedOutputs) throws IOException {
        List<ManifestEntry> manifest = RunManifest.read(
                ArtifactStores.withS3(s3)
                        .locate("s3://" + DevStack.BUCKET + "/runs/")
                        .store(),
                DurabilityHarness.RUN_ID);
        Map<String, List<ManifestEntry>> byUri =
                manifest.stream().collect(Collectors.groupingBy(ManifestEntry::uri, TreeMap::new, Collectors.toList()));
        byUri.forEach((uri, entries) -> assertEquals(1, entries.size(), "one entry for " + uri + ": " + entries));
        Map<String, List<ManifestEntry>> byOutput = manifest.stream()
                .collect(Collectors.groupingBy(
                        e -> e.iteration() + "/" + e.step() + "/" + e.shard() + "/" + fileName(e.uri()),
                        TreeMap::new,
                        Collectors.toList()));
        byOutput.forEach(
                (output, entries) -> assertEquals(1, entries.size(), "one artifact for " + output + ": " + entries));

        String bucket = "s3://" + DevStack.BUCKET + "/";
        Map<String, Instant> stored = DurabilityHarness.objects(s3, RUN);
        List<String> recordedKeys = new ArrayList<>();
        for (ManifestEntry e : manifest) {
            assertTrue(e.uri().startsWith(bucket), "an entry in the run's bucket: " + e);
            String key = e.uri().substring(bucket.length());
            // A folder's artifact is its listing, written after its files.
            String object = key.endsWith("/") ? key + FolderListing.FILE_NAME : key;
            assertTrue(stored.containsKey(object), "the manifest entry's object is stored: " + e);
            byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(DevStack.BUCKET).key(object))
                    .asByteArray();
            if (key.endsWith("/")) {
                // A folder's digest and size are its listing's: over its files, each of which is stored.
                FolderListing listing = new ObjectMapper().readValue(bytes, FolderListing.class);
                listing.requireConsistent(e.uri());
                assertEquals(e.sha256(), listing.sha256(), "digest of " + e.uri());
                assertEquals(e.size(), listing.size(), "size of " + e.uri());
                listing.files()
                        .forEach(f -> assertTrue(
                                stored.containsKey(key + f.path()), "listed file " + f.path() + " of " + e.uri()));
            } else {
                assertEquals(e.size(), bytes.length, "size of " + object);
                assertEquals(e.sha256(), Sha256.hex(bytes), "digest of " + object);
            }
            recordedKeys.add(object);
        }
        List<String> outputs = stored.keySet().stream()
                .filter(k -> RECORDED_OUTPUT.matcher(k).matches())
                .toList();
        assertEquals(expectedOutputs, outputs.size(), "every step's outputs: " + outputs);
        outputs.forEach(k -> assertTrue(recordedKeys.contains(k), "stored output " + k + " has a manifest entry"));
    }

    private static String fileName(String uri) {
        String path = uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
