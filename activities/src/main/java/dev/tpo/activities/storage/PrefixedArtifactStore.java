package dev.tpo.activities.storage;

import dev.tpo.api.ArtifactRef;
import dev.tpo.artifacts.ArtifactStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A store seen from below a prefix, so keys such as {@code runs/r1/...} (the layout {@link dev.tpo.artifacts.RunManifest}
 * and the steps share) land under a run's artifact root (s3://bucket/prefix/ or file:///path/) whatever its depth.
 */
final class PrefixedArtifactStore implements ArtifactStore {
    private final ArtifactStore base;
    private final String prefix;

    /** @param prefix "" or a key prefix ending with '/' */
    PrefixedArtifactStore(ArtifactStore base, String prefix) {
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            throw new IllegalArgumentException("prefix must be empty or end with '/', got " + prefix);
        }
        this.base = base;
        this.prefix = prefix;
    }

    private String full(String key) {
        return prefix + key;
    }

    @Override
    public ArtifactRef putFile(String key, Path file) {
        return base.putFile(full(key), file);
    }

    @Override
    public ArtifactRef putBytes(String key, byte[] data) {
        return base.putBytes(full(key), data);
    }

    @Override
    public ArtifactRef putFolder(String keyPrefix, Path dir) {
        return base.putFolder(full(keyPrefix), dir);
    }

    @Override
    public Path fetch(ArtifactRef ref, Path dest) {
        return base.fetch(ref, dest);
    }

    @Override
    public Path fetchFolder(ArtifactRef ref, Path destDir) {
        return base.fetchFolder(ref, destDir);
    }

    @Override
    public byte[] read(ArtifactRef ref) {
        return base.read(ref);
    }

    @Override
    public ArtifactRef fetchKey(String key, Path dest) {
        return base.fetchKey(full(key), dest);
    }

    @Override
    public ArtifactRef fetchFolderKey(String keyPrefix, Path destDir) {
        return base.fetchFolderKey(full(keyPrefix), destDir);
    }

    @Override
    public byte[] readBytes(String key) {
        return base.readBytes(full(key));
    }

    @Override
    public byte[] readRange(String key, long offset, int length) {
        return base.readRange(full(key), offset, length);
    }

    @Override
    public long sizeOf(String key) {
        return base.sizeOf(full(key));
    }

    @Override
    public Optional<ArtifactRef> find(String key) {
        return base.find(full(key));
    }

    @Override
    public Optional<ArtifactRef> findFolder(String keyPrefix) {
        return base.findFolder(full(keyPrefix));
    }

    @Override
    public List<String> list(String keyPrefix) {
        String listed = keyPrefix.isEmpty() ? stripSlash(prefix) : full(keyPrefix);
        return base.list(listed).stream().map(k -> k.substring(prefix.length())).toList();
    }

    @Override
    public String uri(String key) {
        return base.uri(full(key));
    }

    @Override
    public String folderUri(String keyPrefix) {
        return base.folderUri(full(keyPrefix));
    }

    @Override
    public Optional<String> keyOf(String uri) {
        return base.keyOf(uri).filter(k -> k.startsWith(prefix)).map(k -> k.substring(prefix.length()));
    }

    @Override
    public void delete(String keyPrefix) {
        base.delete(full(keyPrefix));
    }

    private static String stripSlash(String p) {
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
