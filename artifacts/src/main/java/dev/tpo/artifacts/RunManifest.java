package dev.tpo.artifacts;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.api.ArtifactRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The lineage of a run: one small JSON object per artifact under {@code runs/{runId}/manifest/}. One object per
 * entry, not one shared file, because shards of a step finish concurrently on different workers and S3 has no
 * append. An entry's key derives from its step and URI, so recording it again, say from a retried activity, rewrites
 * the same object instead of adding a duplicate (the last attempt's details win); and an artifact recomputed because
 * its stored bytes were corrupt replaces its entry, new digest and all, rather than leaving the old one as an orphan.
 * The entry is also what a step checks a stored output against before reusing it: on a file:// store the stored
 * bytes carry no digest of their own.
 */
public final class RunManifest {
    private static final Comparator<ManifestEntry> LINEAGE_ORDER = Comparator.comparingInt(ManifestEntry::iteration)
            .thenComparing(ManifestEntry::createdAt)
            .thenComparing(ManifestEntry::step)
            .thenComparing(ManifestEntry::shard, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(ManifestEntry::uri);

    private final ArtifactStore store;
    private final String runId;
    private final ObjectMapper json = ArtifactJson.newMapper();

    public RunManifest(ArtifactStore store, String runId) {
        this.store = store;
        this.runId = ArtifactKeys.requireSegment(runId, "run id");
    }

    /** All entries of {@code runId}, by iteration, then creation time, step, shard and URI. */
    public static List<ManifestEntry> read(ArtifactStore store, String runId) {
        return new RunManifest(store, runId).entries();
    }

    /** Stores the entry; returns the reference of the stored entry object. */
    public ArtifactRef record(ManifestEntry entry) {
        try {
            return store.putBytes(entryKey(entry), json.writeValueAsBytes(entry));
        } catch (IOException e) {
            throw new IllegalStateException("could not encode the manifest entry of " + entry.uri(), e);
        }
    }

    /** The entry of the artifact at {@code uri} recorded by {@code step}, if there is one. */
    public Optional<ManifestEntry> entry(String step, String uri) {
        String key = entryKey(step, uri);
        byte[] bytes;
        try {
            bytes = store.readBytes(key);
        } catch (ArtifactNotFoundException absent) {
            return Optional.empty();
        }
        return Optional.of(parse(key, bytes));
    }

    public List<ManifestEntry> entries() {
        List<ManifestEntry> entries = new ArrayList<>();
        for (String key : store.list(folder())) {
            if (key.endsWith(".json")) {
                entries.add(parse(key, store.readBytes(key)));
            }
        }
        entries.sort(LINEAGE_ORDER);
        return entries;
    }

    /** {@code runs/{runId}/manifest/{step}-{first 16 hex of sha256(uri)}.json}. */
    public String entryKey(ManifestEntry entry) {
        return entryKey(entry.step(), entry.uri());
    }

    private String entryKey(String step, String uri) {
        String digestPrefix = Sha256.hex(uri.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
        return folder() + "/" + ArtifactKeys.requireSegment(step, "manifest step") + "-" + digestPrefix + ".json";
    }

    private String folder() {
        return "runs/" + runId + "/manifest";
    }

    private ManifestEntry parse(String key, byte[] bytes) {
        try {
            return json.readValue(bytes, ManifestEntry.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new ArtifactStoreException("unreadable manifest entry " + store.uri(key) + ": " + e.getMessage(), e);
        }
    }
}
