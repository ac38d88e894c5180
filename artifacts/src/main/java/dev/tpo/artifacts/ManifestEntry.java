package dev.tpo.artifacts;

import dev.tpo.api.ArtifactRef;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One artifact of a run and where it came from: the run's lineage is the set of these.
 *
 * @param uri          where the artifact is
 * @param sha256       its digest
 * @param size         its size in bytes
 * @param step         producing step, e.g. {@code generate}
 * @param iteration    TPO iteration, from 1 (0 for run-level artifacts such as the seed)
 * @param shard        shard index for sharded steps; null otherwise
 * @param activityId   Temporal activity id of the producer
 * @param attempt      Temporal attempt number of the producer, from 1
 * @param inputDigests digests of the artifacts the step read
 * @param createdAt    given by the caller (an activity's clock), so the same entry always serializes the same
 */
public record ManifestEntry(
        String uri,
        String sha256,
        long size,
        String step,
        int iteration,
        Integer shard,
        String activityId,
        int attempt,
        List<String> inputDigests,
        Instant createdAt) {
    public ManifestEntry {
        // Same rules as a reference (URI scheme, 64 hex digits, size >= 0), so toRef() can never fail later.
        new ArtifactRef(uri, sha256, size);
        ArtifactKeys.requireSegment(step, "manifest entry step of " + uri);
        Objects.requireNonNull(activityId, "manifest entry activity_id of " + uri);
        Objects.requireNonNull(createdAt, "manifest entry created_at of " + uri);
        if (iteration < 0) {
            throw new IllegalArgumentException(
                    "manifest entry iteration of " + uri + " must be >= 0, got " + iteration);
        }
        if (shard != null && shard < 0) {
            throw new IllegalArgumentException("manifest entry shard of " + uri + " must be >= 0, got " + shard);
        }
        if (attempt < 1) {
            throw new IllegalArgumentException("manifest entry attempt of " + uri + " must be >= 1, got " + attempt);
        }
        inputDigests = List.copyOf(Objects.requireNonNull(inputDigests, "manifest entry input_digests of " + uri));
    }

    public static ManifestEntry of(
            ArtifactRef ref,
            String step,
            int iteration,
            Integer shard,
            String activityId,
            int attempt,
            List<String> inputDigests,
            Instant createdAt) {
        return new ManifestEntry(
                ref.uri(),
                ref.sha256(),
                ref.size(),
                step,
                iteration,
                shard,
                activityId,
                attempt,
                inputDigests,
                createdAt);
    }

    public ArtifactRef toRef() {
        return new ArtifactRef(uri, sha256, size);
    }
}
