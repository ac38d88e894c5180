package dev.tpo.artifacts;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.api.ArtifactRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Folder operations expressed with a store's single-object operations, so S3 and local stores share one
 * definition of what a complete folder is: its files first, then {@code _listing.json}.
 */
final class ListedFolders {
    private final ObjectMapper json = ArtifactJson.newMapper();

    ArtifactRef put(ArtifactStore store, String prefix, Path dir) {
        ArtifactKeys.requireKey(prefix, "folder key prefix");
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(
                    "not a folder: " + dir + " (to store at " + store.folderUri(prefix) + ")");
        }
        List<FolderEntry> entries = new ArrayList<>();
        for (Path file : regularFiles(dir)) {
            String relative = relativePath(dir, file);
            if (relative.equals(FolderListing.FILE_NAME)) {
                throw new IllegalArgumentException(file + " has the name the store reserves for folder listings");
            }
            ArtifactRef ref = store.putFile(ArtifactKeys.child(prefix, relative), file);
            entries.add(new FolderEntry(relative, ref.sha256(), ref.size()));
        }
        FolderListing listing = FolderListing.of(entries);
        store.putBytes(listingKey(prefix), encode(listing));
        return new ArtifactRef(store.folderUri(prefix), listing.sha256(), listing.size());
    }

    Optional<ArtifactRef> find(ArtifactStore store, String prefix) {
        return readListing(store, prefix)
                .map(listing -> new ArtifactRef(store.folderUri(prefix), listing.sha256(), listing.size()));
    }

    Path fetch(ArtifactStore store, ArtifactRef ref, Path destDir) {
        if (!ref.isFolder()) {
            throw new IllegalArgumentException("not a folder reference (no trailing '/'): " + ref.uri());
        }
        String prefix = store.keyOf(ref.uri())
                .orElseThrow(() -> new IllegalArgumentException(ref.uri() + " is not in this store"));
        FolderListing listing = readListing(store, prefix)
                .orElseThrow(() -> new ArtifactNotFoundException(
                        ref.uri(), "no " + FolderListing.FILE_NAME + ", so the folder was never completed"));
        if (!listing.sha256().equals(ref.sha256())) {
            throw new ArtifactIntegrityException(ref.uri(), ref.sha256(), listing.sha256());
        }
        createFolder(destDir, ref.uri());
        for (FolderEntry entry : listing.files()) {
            Path target = insideFolder(destDir, entry.path());
            if (!alreadyFetched(target, entry)) {
                String uri = store.uri(ArtifactKeys.child(prefix, entry.path()));
                store.fetch(new ArtifactRef(uri, entry.sha256(), entry.size()), target);
            }
        }
        return destDir;
    }

    ArtifactRef fetchAnyFolder(ArtifactStore store, String prefix, Path destDir) {
        ArtifactKeys.requireKey(prefix, "folder key prefix");
        Optional<ArtifactRef> listed = find(store, prefix);
        if (listed.isPresent()) {
            fetch(store, listed.get(), destDir);
            return listed.get();
        }
        List<String> keys = store.list(prefix);
        if (keys.isEmpty()) {
            throw new ArtifactNotFoundException(store.folderUri(prefix), "no objects under it");
        }
        createFolder(destDir, store.folderUri(prefix));
        List<FolderEntry> entries = new ArrayList<>();
        for (String key : keys) {
            String relative = key.substring(prefix.length() + 1);
            ArtifactRef ref = store.fetchKey(key, insideFolder(destDir, relative));
            entries.add(new FolderEntry(relative, ref.sha256(), ref.size()));
        }
        FolderListing listing = FolderListing.of(entries);
        return new ArtifactRef(store.folderUri(prefix), listing.sha256(), listing.size());
    }

    private Optional<FolderListing> readListing(ArtifactStore store, String prefix) {
        ArtifactKeys.requireKey(prefix, "folder key prefix");
        String key = listingKey(prefix);
        byte[] bytes;
        try {
            bytes = store.readBytes(key);
        } catch (ArtifactNotFoundException absent) {
            return Optional.empty();
        }
        FolderListing listing;
        try {
            listing = json.readValue(bytes, FolderListing.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new ArtifactStoreException("unreadable folder listing " + store.uri(key) + ": " + e.getMessage(), e);
        }
        listing.requireConsistent(store.uri(key));
        return Optional.of(listing);
    }

    private byte[] encode(FolderListing listing) {
        try {
            return json.writeValueAsBytes(listing);
        } catch (IOException e) {
            throw new IllegalStateException("could not encode a folder listing", e);
        }
    }

    private static String listingKey(String prefix) {
        return ArtifactKeys.child(prefix, FolderListing.FILE_NAME);
    }

    private static boolean alreadyFetched(Path target, FolderEntry entry) {
        try {
            return Files.isRegularFile(target)
                    && Files.size(target) == entry.size()
                    && Sha256.hex(target).equals(entry.sha256());
        } catch (IOException e) {
            return false;
        }
    }

    /** Entry paths come from stored listings; checked again here so none can write outside {@code destDir}. */
    private static Path insideFolder(Path destDir, String relative) {
        Path base = destDir.toAbsolutePath().normalize();
        Path target = base.resolve(ArtifactKeys.requireKey(relative, "folder entry path"))
                .normalize();
        if (!target.startsWith(base)) {
            throw new IllegalArgumentException("folder entry '" + relative + "' would land outside " + destDir);
        }
        return target;
    }

    private static void createFolder(Path destDir, String uri) {
        try {
            Files.createDirectories(destDir);
        } catch (IOException e) {
            throw new ArtifactStoreException("could not create " + destDir + " to fetch " + uri + " into", e);
        }
    }

    private static List<Path> regularFiles(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new ArtifactStoreException("could not list local folder " + dir, e);
        }
    }

    private static String relativePath(Path dir, Path file) {
        Path relative = dir.relativize(file);
        List<String> names = new ArrayList<>();
        relative.forEach(name -> names.add(name.toString()));
        return String.join("/", names);
    }
}
