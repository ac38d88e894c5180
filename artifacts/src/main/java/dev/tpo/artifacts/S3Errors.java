package dev.tpo.artifacts;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns AWS SDK failures into store exceptions that name the URI. Only the status, S3 error code and request id
 * are kept: they say what went wrong without repeating request headers (which carry signatures).
 */
final class S3Errors {
    private S3Errors() {}

    static ArtifactStoreException translate(SdkException e, String uri, String operation) {
        if (e instanceof NoSuchBucketException) {
            return new ArtifactStoreException("could not " + operation + " " + uri + ": the bucket does not exist", e);
        }
        if (e instanceof S3Exception s3) {
            if (s3.statusCode() == 404) {
                return new ArtifactNotFoundException(uri, e);
            }
            String code = s3.awsErrorDetails() == null
                    ? ""
                    : " " + s3.awsErrorDetails().errorCode();
            return new ArtifactStoreException(
                    "could not " + operation + " " + uri + ": S3 status " + s3.statusCode() + code + " (request id "
                            + s3.requestId() + ")",
                    e);
        }
        return new ArtifactStoreException("could not " + operation + " " + uri + ": " + e.getMessage(), e);
    }
}
