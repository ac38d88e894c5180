package dev.tpo.artifacts;

import dev.tpo.api.ArtifactRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Artifacts as objects in one bucket, under an optional key prefix; URIs are {@code s3://bucket/prefix/key}.
 * Each object carries its SHA-256 in user metadata {@code sha256}, so {@link #find} answers from a HEAD request.
 * A single PUT and a completed multipart upload are both atomic in S3, so no temporary objects are needed.
 */
public final class S3ArtifactStore implements ArtifactStore {
    public static final long DEFAULT_MULTIPART_THRESHOLD = 64L * 1024 * 1024;
    public static final long DEFAULT_PART_SIZE = 16L * 1024 * 1024;
    /** User metadata name; S3 sends it as {@code x-amz-meta-sha256}. */
    static final String DIGEST_METADATA = "sha256";

    private final S3Client client;
    private final String bucket;
    private final String prefix;
    private final long multipartThreshold;
    private final S3MultipartUpload multipartUpload;
    private final ListedFolders folders = new ListedFolders();

    /**
     * @param prefix             prepended to every key ("" for none; a trailing '/' is added when missing)
     * @param multipartThreshold files larger than this go up in parts
     * @param partSize           bytes per part, at least 5 MiB
     */
    public S3ArtifactStore(S3Client client, String bucket, String prefix, long multipartThreshold, long partSize) {
        if (bucket == null || bucket.isEmpty() || bucket.contains("/")) {
            throw new IllegalArgumentException("bucket must be a bare bucket name, got '" + bucket + "'");
        }
        this.client = client;
        this.bucket = bucket;
        this.prefix = normalizePrefix(prefix);
        this.multipartThreshold = multipartThreshold;
        this.multipartUpload = new S3MultipartUpload(client, partSize);
    }

    public S3ArtifactStore(S3Client client, String bucket, String prefix) {
        this(client, bucket, prefix, DEFAULT_MULTIPART_THRESHOLD, DEFAULT_PART_SIZE);
    }

    @Override
    public ArtifactRef putFile(String key, Path file) {
        String uri = uri(key);
        try {
            long size = Files.size(file);
            String sha256 = Sha256.hex(file);
            if (size > multipartThreshold) {
                multipartUpload.upload(bucket, objectKey(key), uri, file, size, Map.of(DIGEST_METADATA, sha256));
            } else {
                client.putObject(putRequest(key, size, sha256), RequestBody.fromFile(file));
            }
            return new ArtifactRef(uri, sha256, size);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file " + file + " (to store at " + uri + ")", e);
        } catch (IOException e) {
            throw new ArtifactStoreException("could not store " + file + " at " + uri, e);
        } catch (SdkException e) {
            throw S3Errors.translate(e, uri, "upload");
        }
    }

    @Override
    public ArtifactRef putBytes(String key, byte[] data) {
        String uri = uri(key);
        String sha256 = Sha256.hex(data);
        try {
            client.putObject(putRequest(key, data.length, sha256), RequestBody.fromBytes(data));
            return new ArtifactRef(uri, sha256, data.length);
        } catch (SdkException e) {
            throw S3Errors.translate(e, uri, "upload");
        }
    }

    private PutObjectRequest putRequest(String key, long size, String sha256) {
        return PutObjectRequest.builder()
                .bucket(bucket)
                .key(objectKey(key))
                .contentLength(size)
                .metadata(Map.of(DIGEST_METADATA, sha256))
                .build();
    }

    @Override
    public ArtifactRef putFolder(String keyPrefix, Path dir) {
        return folders.put(this, keyPrefix, dir);
    }

    @Override
    public Path fetch(ArtifactRef ref, Path dest) {
        String key = fileKeyOf(ref);
        download(key, dest, actual -> ArtifactIntegrityException.check(ref.uri(), ref.sha256(), actual));
        return dest;
    }

    @Override
    public Path fetchFolder(ArtifactRef ref, Path destDir) {
        return folders.fetch(this, ref, destDir);
    }

    @Override
    public byte[] read(ArtifactRef ref) {
        byte[] data = readBytes(fileKeyOf(ref));
        ArtifactIntegrityException.check(ref.uri(), ref.sha256(), new ContentDigest(Sha256.hex(data), data.length));
        return data;
    }

    @Override
    public ArtifactRef fetchKey(String key, Path dest) {
        String uri = uri(key);
        ContentDigest digest = download(key, dest, actual -> {});
        return new ArtifactRef(uri, digest.sha256(), digest.size());
    }

    /** Streams the object to {@code dest}, checking it against the stored digest too when it has one. */
    private ContentDigest download(String key, Path dest, Consumer<ContentDigest> acceptDigest) {
        String uri = uri(key);
        GetObjectRequest request =
                GetObjectRequest.builder().bucket(bucket).key(objectKey(key)).build();
        try (ResponseInputStream<GetObjectResponse> in = client.getObject(request)) {
            String stored = in.response().metadata().get(DIGEST_METADATA);
            return AtomicFileWriter.write(dest, in, actual -> {
                acceptDigest.accept(actual);
                if (stored != null) {
                    ArtifactIntegrityException.check(uri, stored, actual);
                }
            });
        } catch (IOException e) {
            throw new ArtifactStoreException("could not fetch " + uri + " to " + dest, e);
        } catch (SdkException e) {
            throw S3Errors.translate(e, uri, "download");
        }
    }

    @Override
    public ArtifactRef fetchFolderKey(String keyPrefix, Path destDir) {
        return folders.fetchAnyFolder(this, keyPrefix, destDir);
    }

    @Override
    public byte[] readBytes(String key) {
        String uri = uri(key);
        try {
            return client.getObjectAsBytes(GetObjectRequest.builder()
                            .bucket(bucket)
                            .key(objectKey(key))
                            .build())
                    .asByteArray();
        } catch (SdkException e) {
            throw S3Errors.translate(e, uri, "read");
        }
    }

    @Override
    public byte[] readRange(String key, long offset, int length) {
        String uri = uri(key);
        if (length <= 0) {
            return new byte[0];
        }
        try {
            return client.getObjectAsBytes(GetObjectRequest.builder()
                            .bucket(bucket)
                            .key(objectKey(key))
                            .range("bytes=" + offset + "-" + (offset + length - 1))
                            .build())
                    .asByteArray();
        } catch (SdkException e) {
            throw S3Errors.translate(e, uri, "read");
        }
    }

    @Override
    public long sizeOf(String key) {
        String uri = uri(key);
        try {
            return client.headObject(builder -> builder.bucket(bucket).key(objectKey(key)))
                    .contentLength();
        } catch (SdkException e) {
            throw S3Errors.translate(e, uri, "look up");
        }
    }

    @Override
    public Optional<ArtifactRef> find(String key) {
        String uri = uri(key);
        HeadObjectResponse head;
        try {
            head = client.headObject(builder -> builder.bucket(bucket).key(objectKey(key)));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw S3Errors.translate(e, uri, "look up");
        } catch (SdkException e) {
            throw S3Errors.translate(e, uri, "look up");
        }
        // An object without our digest was not written by this store (or by an older tool); reusing it as
        // finished output would mean trusting bytes nobody hashed, so it does not count as found.
        String sha256 = head.metadata().get(DIGEST_METADATA);
        if (sha256 == null) {
            return Optional.empty();
        }
        return Optional.of(new ArtifactRef(uri, sha256, head.contentLength()));
    }

    @Override
    public Optional<ArtifactRef> findFolder(String keyPrefix) {
        return folders.find(this, keyPrefix);
    }

    @Override
    public List<String> list(String keyPrefix) {
        String folderPrefix = keyPrefix.isEmpty() ? prefix : objectKey(keyPrefix) + "/";
        ListObjectsV2Request request = ListObjectsV2Request.builder()
                .bucket(bucket)
                .prefix(folderPrefix)
                .build();
        try {
            List<String> keys = new ArrayList<>();
            for (S3Object object : client.listObjectsV2Paginator(request).contents()) {
                // Keys ending in '/' are the empty "folder" markers some consoles create, not artifacts.
                if (!object.key().endsWith("/")) {
                    keys.add(object.key().substring(prefix.length()));
                }
            }
            keys.sort(null);
            return keys;
        } catch (SdkException e) {
            throw S3Errors.translate(e, "s3://" + bucket + "/" + folderPrefix, "list");
        }
    }

    @Override
    public String uri(String key) {
        return "s3://" + bucket + "/" + objectKey(key);
    }

    @Override
    public String folderUri(String keyPrefix) {
        return uri(keyPrefix) + "/";
    }

    @Override
    public Optional<String> keyOf(String uri) {
        String storeRoot = "s3://" + bucket + "/" + prefix;
        if (uri == null || !uri.startsWith(storeRoot) || uri.length() == storeRoot.length()) {
            return Optional.empty();
        }
        String key = uri.substring(storeRoot.length());
        return Optional.of(key.endsWith("/") ? key.substring(0, key.length() - 1) : key);
    }

    /**
     * Deletes object by object: the batch DeleteObjects call must carry a checksum header that S3-compatible
     * servers such as S3Proxy 2.6 reject, and deleting is rare (cleanup of a run or a stale folder).
     */
    @Override
    public void delete(String keyPrefix) {
        ArtifactKeys.requireKey(keyPrefix, "key prefix to delete");
        for (String key : list(keyPrefix)) {
            try {
                client.deleteObject(builder -> builder.bucket(bucket).key(objectKey(key)));
            } catch (SdkException e) {
                throw S3Errors.translate(e, uri(key), "delete");
            }
        }
    }

    private String objectKey(String key) {
        return prefix + ArtifactKeys.requireKey(key, "key");
    }

    private String fileKeyOf(ArtifactRef ref) {
        if (ref.isFolder()) {
            throw new IllegalArgumentException("folder reference given where a file was expected: " + ref.uri());
        }
        return keyOf(ref.uri())
                .orElseThrow(
                        () -> new IllegalArgumentException(ref.uri() + " is not under s3://" + bucket + "/" + prefix));
    }

    private static String normalizePrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return "";
        }
        String trimmed = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        return ArtifactKeys.requireKey(trimmed, "store prefix") + "/";
    }
}
