package dev.tpo.activities.storage;

import dev.tpo.api.steps.RunContext;
import dev.tpo.artifacts.ArtifactLocation;
import dev.tpo.artifacts.ArtifactStore;
import dev.tpo.artifacts.ArtifactStores;

/** Resolves a run's artifact root to a store whose keys start at that root ({@code runs/{runId}/...}). */
public final class RunStores {
    private static final String PROBE = "runs";
    private final ArtifactStores stores;

    public RunStores(ArtifactStores stores) {
        this.stores = stores;
    }

    public ArtifactStore forRun(RunContext run) {
        String root = run.artifactRoot().endsWith("/") ? run.artifactRoot() : run.artifactRoot() + "/";
        // ArtifactStores.locate refuses a bare bucket root (s3://bucket/), so locate a key below the root and take
        // the root's prefix from it: that works for a bucket root, a prefix and a file path alike.
        ArtifactLocation probe = stores.locate(root + PROBE);
        String prefix = probe.key().substring(0, probe.key().length() - PROBE.length());
        return new PrefixedArtifactStore(probe.store(), prefix);
    }

    public ArtifactStores all() {
        return stores;
    }
}
