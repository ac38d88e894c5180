package dev.tpo.artifacts;

import java.util.Objects;

/**
 * What a stream of bytes hashed to and how many bytes it had.
 *
 * @param sha256 lowercase hex SHA-256
 * @param size   bytes
 */
public record ContentDigest(String sha256, long size) {
    public ContentDigest {
        Objects.requireNonNull(sha256, "sha256");
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, got " + size);
        }
    }
}
