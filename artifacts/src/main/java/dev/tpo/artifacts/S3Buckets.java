package dev.tpo.artifacts;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Bucket housekeeping for development stacks (MinIO, S3Proxy), where nobody provisions buckets beforehand. */
public final class S3Buckets {
    private static final Logger LOG = LoggerFactory.getLogger(S3Buckets.class);

    private S3Buckets() {}

    /** Creates {@code bucket} unless it exists; returns whether it was created. Safe when two workers race. */
    public static boolean createIfMissing(S3Client client, String bucket) {
        try {
            client.headBucket(builder -> builder.bucket(bucket));
            return false;
        } catch (NoSuchBucketException missing) {
            // fall through to create
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw new ArtifactStoreException(
                        "could not check bucket s3://" + bucket + "/: S3 status " + e.statusCode(), e);
            }
        }
        try {
            client.createBucket(builder -> builder.bucket(bucket));
            LOG.info("created bucket s3://{}/", bucket);
            return true;
        } catch (BucketAlreadyOwnedByYouException racedByAnotherWorker) {
            return false;
        } catch (S3Exception e) {
            throw new ArtifactStoreException(
                    "could not create bucket s3://" + bucket + "/: S3 status " + e.statusCode(), e);
        }
    }
}
