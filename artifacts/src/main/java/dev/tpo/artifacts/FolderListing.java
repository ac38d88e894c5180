package dev.tpo.artifacts;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The content of a folder's {@code _listing.json}: every file with its digest and size, and the folder digest
 * derived from them. Written after every file, so its presence marks the folder complete.
 *
 * @param sha256 {@link Sha256#ofListing} of {@code files}
 * @param size   sum of the files' sizes
 * @param files  sorted by path
 */
public record FolderListing(String sha256, long size, List<FolderEntry> files) {
    public static final String FILE_NAME = "_listing.json";

    public FolderListing {
        Objects.requireNonNull(sha256, "sha256");
        files = List.copyOf(Objects.requireNonNull(files, "files"));
    }

    public static FolderListing of(List<FolderEntry> files) {
        List<FolderEntry> sorted =
                files.stream().sorted(Comparator.comparing(FolderEntry::path)).toList();
        long size = sorted.stream().mapToLong(FolderEntry::size).sum();
        return new FolderListing(Sha256.ofListing(sorted), size, sorted);
    }

    /** A listing read back from storage must agree with its own files, or someone edited or truncated it. */
    public void requireConsistent(String listingUri) {
        FolderListing recomputed = of(files);
        if (!recomputed.sha256().equals(sha256)) {
            throw new ArtifactIntegrityException(listingUri, sha256, recomputed.sha256());
        }
        if (recomputed.size() != size) {
            throw new ArtifactIntegrityException(
                    listingUri + " (total size " + size + " but files sum to " + recomputed.size() + ")",
                    sha256,
                    recomputed.sha256());
        }
    }
}
