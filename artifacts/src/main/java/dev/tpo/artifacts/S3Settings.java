package dev.tpo.artifacts;

import java.net.URI;

/**
 * How to reach S3: the endpoint, signing and credentials of the client. Not a bucket: every artifact root is an
 * {@code s3://bucket/prefix} URI, and each store takes its bucket and prefix from it ({@link ArtifactStores}).
 *
 * @param endpoint        S3-compatible endpoint such as {@code http://localhost:9000} (MinIO); null for AWS itself
 * @param region          signing region, e.g. {@code us-east-1}
 * @param accessKeyId     with {@code secretAccessKey}: static credentials; both null: the default credentials chain
 * @param secretAccessKey never printed: {@link #toString()} masks it, and the key id to its last four characters
 * @param pathStyle       {@code http://host/bucket/key} instead of {@code http://bucket.host/key}; MinIO and S3Proxy
 *                        need it
 */
public record S3Settings(URI endpoint, String region, String accessKeyId, String secretAccessKey, boolean pathStyle) {
    public S3Settings {
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("S3 settings: region must be set");
        }
        if ((accessKeyId == null) != (secretAccessKey == null)) {
            throw new IllegalArgumentException(
                    "S3 settings: give both accessKeyId and secretAccessKey, or neither to use the default chain");
        }
    }

    public boolean hasStaticCredentials() {
        return accessKeyId != null;
    }

    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint + ", region=" + region + ", accessKeyId=" + masked(accessKeyId)
                + ", secretAccessKey=" + (secretAccessKey == null ? null : "***") + ", pathStyle=" + pathStyle + "]";
    }

    /** The key id's last four characters, as AWS's console shows it: enough to tell keys apart, not to use one. */
    private static String masked(String accessKeyId) {
        if (accessKeyId == null) {
            return null;
        }
        return accessKeyId.length() <= 8 ? "***" : "***" + accessKeyId.substring(accessKeyId.length() - 4);
    }
}
