package dev.tpo.artifacts;

import dev.tpo.api.ArtifactRef;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where artifacts live (an S3 bucket or a local folder), addressed by relative keys such as
 * {@code runs/r1/iter-1/generate/generations-003.jsonl}. Every write is atomic: a reader sees a complete object or
 * none. A folder is a set of objects under {@code <prefix>/} plus {@code <prefix>/_listing.json}, written last, so a
 * folder counts as present only once complete. Reads through an {@link ArtifactRef} verify its digest.
 *
 * <p>Errors are unchecked {@link ArtifactStoreException}s that name the URI: {@link ArtifactNotFoundException} when
 * nothing is there, {@link ArtifactIntegrityException} when the bytes do not match the reference.
 */
public interface ArtifactStore {

    ArtifactRef putFile(String key, Path file);

    /** For small objects (JSON, JSONL) already in memory. */
    ArtifactRef putBytes(String key, byte[] data);

    /**
     * Stores every regular file under {@code dir} (recursively) and then the listing. The returned digest is
     * {@link Sha256#ofListing} of the files, so it does not depend on the order they were created or uploaded.
     */
    ArtifactRef putFolder(String keyPrefix, Path dir);

    /** Copies the object to {@code dest} (replaced atomically) after checking its digest; returns {@code dest}. */
    Path fetch(ArtifactRef ref, Path dest);

    /**
     * Copies every file of the folder into {@code destDir}, checking each file and the listing against the
     * reference. Files already in {@code destDir} with the right digest are kept, so a retry resumes.
     */
    Path fetchFolder(ArtifactRef ref, Path destDir);

    /** Reads a small object into memory and checks its digest. */
    byte[] read(ArtifactRef ref);

    /**
     * Copies whatever is stored at {@code key} (for example a user-supplied seed) and returns its reference,
     * computed from the bytes received; checked against the stored digest when the store keeps one.
     */
    ArtifactRef fetchKey(String key, Path dest);

    /**
     * Copies the folder at {@code keyPrefix}: through its listing (verified) when it has one, else every object
     * under the prefix as-is (a folder uploaded by other tools); returns the reference of what was copied.
     */
    ArtifactRef fetchFolderKey(String keyPrefix, Path destDir);

    /** Reads a small object without a digest to check against (manifest entries, listings). */
    byte[] readBytes(String key);

    /**
     * Reads {@code length} bytes from {@code offset} of the object at {@code key} (fewer where it ends first), without
     * a digest to check: for looking into large user inputs (a safetensors header) without downloading them.
     */
    byte[] readRange(String key, long offset, int length);

    /** The size in bytes of the object at {@code key}; {@link ArtifactNotFoundException} when there is none. */
    long sizeOf(String key);

    /** The reference of a complete object at {@code key}, from the stored digest; empty when there is none. */
    Optional<ArtifactRef> find(String key);

    /** The reference of the folder at {@code keyPrefix} if its listing exists (so it is complete). */
    Optional<ArtifactRef> findFolder(String keyPrefix);

    /** Every key under the folder {@code keyPrefix/} (recursively), sorted; "" lists the whole store. */
    List<String> list(String keyPrefix);

    /** {@code s3://bucket/prefix/key} or {@code file:///root/key}. */
    String uri(String key);

    /** The URI of the folder at {@code keyPrefix}, ending with '/'. */
    String folderUri(String keyPrefix);

    /** The key of {@code uri} in this store (a folder URI gives its prefix), or empty when it lives elsewhere. */
    Optional<String> keyOf(String uri);

    /** Removes every object under the folder {@code keyPrefix/}. */
    void delete(String keyPrefix);
}
