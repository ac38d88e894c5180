package dev.tpo.activities.storage;

import dev.tpo.api.ArtifactRef;
import dev.tpo.api.steps.RunContext;
import dev.tpo.artifacts.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * Where a step writes: {@code runs/{runId}/iter-{k}/{step}/{inputKey}/}. The input key hashes what the step read
 * and how it was told to work, so a retried or re-run step with the same inputs lands on its finished output.
 */
public final class StepKeys {
    private final StepJson json;

    public StepKeys(StepJson json) {
        this.json = json;
    }

    /** First 16 hex of SHA-256 over the input digests (in order) and the settings' canonical JSON. */
    public String inputKey(List<ArtifactRef> inputs, Object settings) {
        StringBuilder text = new StringBuilder();
        for (ArtifactRef ref : inputs) {
            text.append(ref == null ? "-" : ref.sha256()).append('\n');
        }
        text.append(json.canonical(settings));
        return Sha256.hex(text.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    public String stepPrefix(RunContext run, int iteration, String step, String inputKey) {
        return run.iterationPrefix(iteration) + step + "/" + inputKey;
    }

    public static List<String> digests(List<ArtifactRef> refs) {
        return refs.stream().filter(Objects::nonNull).map(ArtifactRef::sha256).toList();
    }
}
