package dev.tpo.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A stored artifact by reference: where it is, what its bytes hash to, how big it is. Only these travel through
 * workflow history, never the bytes. For a folder (a model, a checkpoint) the digest is that of its listing (each
 * file's relative path, SHA-256 and size, sorted by path), so two folders with the same files have the same digest.
 *
 * @param uri    s3://bucket/key or file:///absolute/path (a folder's URI ends with '/')
 * @param sha256 lowercase hex SHA-256
 * @param size   bytes (a folder: the sum over its files)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ArtifactRef(String uri, String sha256, long size) {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public ArtifactRef {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(sha256, "sha256");
        if (!uri.startsWith("s3://") && !uri.startsWith("file:/")) {
            throw new IllegalArgumentException("artifact uri must start with s3:// or file:/, got " + uri);
        }
        if (!HEX64.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lowercase hex digits, got " + sha256);
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, got " + size);
        }
    }

    @JsonIgnore
    public boolean isFolder() {
        return uri.endsWith("/");
    }
}
