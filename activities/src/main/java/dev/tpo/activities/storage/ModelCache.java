package dev.tpo.activities.storage;

import dev.tpo.activities.StepFailures;
import dev.tpo.api.ArtifactRef;
import dev.tpo.artifacts.ArtifactStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Model folders on local disk by digest: {@code workDir/models/{sha256}/}. A folder is fetched once (every file
 * checked against the reference's listing) and marked complete; later steps on the same worker read it from disk.
 * An interrupted fetch leaves no marker, and the next fetch keeps the files that already verify.
 */
public final class ModelCache {
    private static final String COMPLETE_SUFFIX = ".complete";
    private final ArtifactStores stores;
    private final Path root;

    public ModelCache(ArtifactStores stores, Path workDir) {
        this.stores = stores;
        this.root = workDir.resolve("models");
    }

    public Path folder(ArtifactRef model) {
        if (!model.isFolder()) {
            throw StepFailures.invalidInput("a model must be a folder (URI ending with '/'): " + model.uri());
        }
        Path dir = root.resolve(model.sha256());
        Path marker = root.resolve(model.sha256() + COMPLETE_SUFFIX);
        if (Files.isRegularFile(marker) && Files.isDirectory(dir)) {
            return dir;
        }
        try {
            Files.createDirectories(dir);
            stores.fetch(model, dir);
            Files.writeString(marker, model.uri() + "\n");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot cache model " + model.uri() + " in " + dir, e);
        }
    }
}
