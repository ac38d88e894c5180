package dev.tpo.artifacts;

import java.util.Objects;

/**
 * One file of a stored folder.
 *
 * @param path   relative path inside the folder, '/'-separated (same rules as a key)
 * @param sha256 lowercase hex SHA-256 of the file
 * @param size   bytes
 */
public record FolderEntry(String path, String sha256, long size) {
    public FolderEntry {
        ArtifactKeys.requireKey(path, "folder entry path");
        Objects.requireNonNull(sha256, "sha256 of " + path);
        if (size < 0) {
            throw new IllegalArgumentException("size of " + path + " must be >= 0, got " + size);
        }
    }
}
