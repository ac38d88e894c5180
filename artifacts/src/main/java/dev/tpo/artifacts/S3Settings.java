package dev.tpo.artifacts;

import java.net.URI;

/**
 * How to reach the artifact bucket.
 *
 * @param endpoint        S3-compatible endpoint such as {@code http://localhost:9000} (MinIO); null for AWS itself
 * @param region          signing region, e.g. {@code us-east-1}
 * @param bucket          bucket name
 * @param prefix          key prefix inside the bucket ("" for none)
 * @param accessKeyId     with {@code secretAccessKey}: static credentials; both null: the default credentials chain
 * @param secretAccessKey never printed: {@link #toString()} masks it
 * @param pathStyle       {@code http://host/bucket/key} instead of {@code http://bucket.host/key}; MinIO and S3Proxy
 *                        need it
 */
public record S3Settings(URI endpoint, String region, String bucket, String prefix, String accessKeyId,
                         String secretAccessKey, boolean pathStyle) {
    public S3Settings {
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("S3 settings: region must be set");
        }
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("S3 settings: bucket must be set");
        }
        if ((accessKeyId == null) != (secretAccessKey == null)) {
            throw new IllegalArgumentException(
                    "S3 settings: give both accessKeyId and secretAccessKey, or neither to use the default chain");
        }
        prefix = prefix == null ? "" : prefix;
    }

    public boolean hasStaticCredentials() {
        return accessKeyId != null;
    }

    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket + ", prefix=" + prefix
                + ", accessKeyId=" + accessKeyId + ", secretAccessKey=" + (secretAccessKey == null ? null : "***")
                + ", pathStyle=" + pathStyle + "]";
    }
}
