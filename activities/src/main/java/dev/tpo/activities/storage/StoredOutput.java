package dev.tpo.activities.storage;

import dev.tpo.api.ArtifactRef;

/**
 * A finished output found in the store whose bytes were read and checked against its digest.
 *
 * @param ref   the output, with the digest it was checked against
 * @param bytes its content
 */
public record StoredOutput(ArtifactRef ref, byte[] bytes) {}
