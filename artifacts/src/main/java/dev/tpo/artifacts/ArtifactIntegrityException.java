package dev.tpo.artifacts;

/**
 * The bytes read from a URI do not hash to the digest the reference promised: the stored object was changed,
 * truncated or corrupted. Retrying the read will not help; the producing step must run again.
 */
public class ArtifactIntegrityException extends ArtifactStoreException {
    private final String uri;
    private final String expectedSha256;
    private final String actualSha256;

    public ArtifactIntegrityException(String uri, String expectedSha256, String actualSha256) {
        super("digest mismatch for " + uri + ": expected sha256 " + expectedSha256 + ", got " + actualSha256);
        this.uri = uri;
        this.expectedSha256 = expectedSha256;
        this.actualSha256 = actualSha256;
    }

    public String uri() {
        return uri;
    }

    public String expectedSha256() {
        return expectedSha256;
    }

    public String actualSha256() {
        return actualSha256;
    }

    /** Throws unless {@code actual} matches {@code expectedSha256}. */
    static void check(String uri, String expectedSha256, ContentDigest actual) {
        if (!expectedSha256.equals(actual.sha256())) {
            throw new ArtifactIntegrityException(uri, expectedSha256, actual.sha256());
        }
    }
}
