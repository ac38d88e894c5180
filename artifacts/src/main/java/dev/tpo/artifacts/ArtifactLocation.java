package dev.tpo.artifacts;

import dev.tpo.api.ArtifactRef;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A URI resolved to the store that holds it and its key there.
 *
 * @param uri    as given
 * @param store  the store for the URI's bucket or file system
 * @param key    the object key, or for a folder its prefix (without the trailing '/')
 * @param folder whether the URI ended with '/'
 */
public record ArtifactLocation(String uri, ArtifactStore store, String key, boolean folder) {
    public ArtifactLocation {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(store, "store of " + uri);
        ArtifactKeys.requireKey(key, "key of " + uri);
    }

    /** The complete artifact at this location, from its stored digest or listing; empty when there is none. */
    public Optional<ArtifactRef> find() {
        return folder ? store.findFolder(key) : store.find(key);
    }

    /**
     * Copies what is there to {@code dest} (a file, or for a folder the folder to fill) and returns its reference;
     * verified through the listing or stored digest when there is one, as-is otherwise (a seed uploaded by hand).
     */
    public ArtifactRef fetch(Path dest) {
        return folder ? store.fetchFolderKey(key, dest) : store.fetchKey(key, dest);
    }
}
