package dev.tpo.artifacts;

import dev.tpo.api.ArtifactRef;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Finds the store for any artifact URI, so an activity handed an {@link ArtifactRef} from another worker, or a
 * user's seed URI such as {@code s3://b/models/seed/} or {@code file:///data/seed/}, can read it.
 */
public final class ArtifactStores {
    private final Function<String, ArtifactStore> s3StoreForBucket;
    private final ConcurrentMap<String, ArtifactStore> s3Stores = new ConcurrentHashMap<>();
    private final FileArtifactStore fileSystem = new FileArtifactStore(Path.of("/"));

    /**
     * @param s3StoreForBucket the store for a bucket, rooted at the bucket (no prefix); called once per bucket
     */
    public ArtifactStores(Function<String, ArtifactStore> s3StoreForBucket) {
        this.s3StoreForBucket = s3StoreForBucket;
    }

    /** Resolves {@code file:} URIs only; an {@code s3:} URI is an error that names it. */
    public static ArtifactStores localOnly() {
        return new ArtifactStores(bucket -> {
            throw new IllegalArgumentException("no S3 client is configured, so s3://" + bucket + "/ cannot be read");
        });
    }

    public static ArtifactStores withS3(S3Client client) {
        return new ArtifactStores(bucket -> new S3ArtifactStore(client, bucket, ""));
    }

    public ArtifactLocation locate(String uri) {
        if (uri == null || uri.isEmpty()) {
            throw new IllegalArgumentException("artifact uri must not be empty");
        }
        boolean folder = uri.endsWith("/");
        if (uri.startsWith("s3://")) {
            String bucketAndKey = uri.substring("s3://".length());
            int slash = bucketAndKey.indexOf('/');
            if (slash <= 0 || slash == bucketAndKey.length() - 1) {
                throw new IllegalArgumentException("artifact uri needs a bucket and a key: " + uri);
            }
            String bucket = bucketAndKey.substring(0, slash);
            String key = checked(stripTrailingSlash(bucketAndKey.substring(slash + 1)), uri);
            return new ArtifactLocation(uri, s3Store(bucket, uri), key, folder);
        }
        if (uri.startsWith("file:")) {
            String path = filePath(uri);
            if (!path.startsWith("/") || path.equals("/")) {
                throw new IllegalArgumentException("file artifact uri must name an absolute path below /: " + uri);
            }
            return new ArtifactLocation(uri, fileSystem, checked(stripTrailingSlash(path.substring(1)), uri), folder);
        }
        throw new IllegalArgumentException("artifact uri must start with s3:// or file:, got " + uri);
    }

    /** Fetches a file or folder reference to {@code dest}, verifying its digest; returns {@code dest}. */
    public Path fetch(ArtifactRef ref, Path dest) {
        ArtifactStore store = locate(ref.uri()).store();
        return ref.isFolder() ? store.fetchFolder(ref, dest) : store.fetch(ref, dest);
    }

    /** Reads a small file artifact into memory, verifying its digest. */
    public byte[] read(ArtifactRef ref) {
        return locate(ref.uri()).store().read(ref);
    }

    private ArtifactStore s3Store(String bucket, String uri) {
        try {
            return s3Stores.computeIfAbsent(bucket, s3StoreForBucket);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot resolve artifact uri " + uri + ": " + e.getMessage(), e);
        }
    }

    private static String filePath(String uri) {
        try {
            String path = new URI(uri).getPath();
            if (path == null) {
                throw new IllegalArgumentException("file artifact uri has no path: " + uri);
            }
            return path;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed artifact uri " + uri + ": " + e.getReason(), e);
        }
    }

    private static String checked(String key, String uri) {
        try {
            return ArtifactKeys.requireKey(key, "key");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot resolve artifact uri " + uri + ": " + e.getMessage(), e);
        }
    }

    private static String stripTrailingSlash(String key) {
        return key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
    }
}
