package dev.tpo.activities.storage;

import dev.tpo.api.ArtifactRef;
import dev.tpo.api.steps.RunContext;
import dev.tpo.artifacts.ArtifactIntegrityException;
import dev.tpo.artifacts.ArtifactStore;
import dev.tpo.artifacts.ManifestEntry;
import dev.tpo.artifacts.RunManifest;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a retried or re-run step may reuse of its earlier work. An object's presence is not enough: bytes changed
 * after the upload would be passed on as finished output (and, on a file:// store, which keeps no digest beside the
 * file, would even get a fresh digest of their own). So a recorded output is read and checked against the digest its
 * manifest entry holds, an unrecorded intermediate (a generation part) against the digest the store keeps with it,
 * and a mismatch counts as not finished: the step recomputes the output and overwrites it, and recording it
 * replaces the manifest entry. This is also how a workflow that found a corrupt input gets it recomputed: it runs
 * the producing step again.
 */
public final class FinishedOutputs {
    private static final Logger LOG = LoggerFactory.getLogger(FinishedOutputs.class);

    private final ArtifactStore store;
    private final RunManifest manifest;

    public FinishedOutputs(ArtifactStore store, RunContext run) {
        this.store = store;
        this.manifest = new RunManifest(store, run.runId());
    }

    /** The output {@code step} stored at {@code key}, if it is there and matches its manifest entry. */
    public Optional<StoredOutput> recorded(String step, String key) {
        return store.find(key).flatMap(found -> {
            ArtifactRef expected =
                    manifest.entry(step, found.uri()).map(ManifestEntry::toRef).orElse(found);
            return verified(expected);
        });
    }

    /** An intermediate stored at {@code key} without a manifest entry, if it matches the store's digest of it. */
    public Optional<StoredOutput> unrecorded(String key) {
        return store.find(key).flatMap(this::verified);
    }

    private Optional<StoredOutput> verified(ArtifactRef expected) {
        try {
            return Optional.of(new StoredOutput(expected, store.read(expected)));
        } catch (ArtifactIntegrityException e) {
            LOG.warn("{}: recomputing it", e.getMessage());
            return Optional.empty();
        }
    }
}
