package dev.tpo.activities.storage;

import dev.tpo.api.ArtifactRef;
import dev.tpo.api.steps.RunContext;
import dev.tpo.artifacts.ArtifactStore;
import dev.tpo.artifacts.ManifestEntry;
import dev.tpo.artifacts.RunManifest;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import java.time.Clock;
import java.util.List;

/** Records each output of a step in the run manifest, with the producing activity and attempt. */
public final class StepRecorder {
    private final Clock clock;

    public StepRecorder(Clock clock) {
        this.clock = clock;
    }

    public void record(
            ArtifactStore store,
            RunContext run,
            ArtifactRef output,
            String step,
            int iteration,
            Integer shard,
            List<String> inputDigests) {
        new RunManifest(store, run.runId()).record(entry(output, step, iteration, shard, inputDigests));
    }

    /**
     * Records {@code output} unless the manifest has it: a retry that reuses a stored output keeps the entry of the
     * attempt that made it, and adds the one that attempt died before writing.
     */
    public void recordIfAbsent(
            ArtifactStore store,
            RunContext run,
            ArtifactRef output,
            String step,
            int iteration,
            Integer shard,
            List<String> inputDigests) {
        RunManifest manifest = new RunManifest(store, run.runId());
        ManifestEntry entry = entry(output, step, iteration, shard, inputDigests);
        if (store.find(manifest.entryKey(entry)).isEmpty()) {
            manifest.record(entry);
        }
    }

    private ManifestEntry entry(
            ArtifactRef output, String step, int iteration, Integer shard, List<String> inputDigests) {
        ActivityInfo info = Activity.getExecutionContext().getInfo();
        return ManifestEntry.of(
                output, step, iteration, shard, info.getActivityId(), attempt(info), inputDigests, clock.instant());
    }

    /** Attempts count from 1; Temporal's test environment reports 0, which the manifest rightly refuses. */
    private static int attempt(ActivityInfo info) {
        return Math.max(1, info.getAttempt());
    }
}
