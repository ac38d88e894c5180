package dev.tpo.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Objects;

/**
 * The details of a {@link Failures#ARTIFACT_INTEGRITY} failure: which stored object no longer hashes to its digest.
 * The workflow that passed the artifact in finds its producing step by this URI and runs it again.
 *
 * @param uri            the object read (for a file inside a folder artifact, the file's own URI)
 * @param expectedSha256 the digest it was recorded with
 * @param actualSha256   what its bytes hash to now
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CorruptArtifact(String uri, String expectedSha256, String actualSha256) {
    public CorruptArtifact {
        Objects.requireNonNull(uri, "uri");
    }

    /** Whether the corrupt object is {@code ref} itself or, for a folder reference, one of its files. */
    public boolean isIn(ArtifactRef ref) {
        return ref != null && (ref.isFolder() ? uri.startsWith(ref.uri()) : uri.equals(ref.uri()));
    }
}
