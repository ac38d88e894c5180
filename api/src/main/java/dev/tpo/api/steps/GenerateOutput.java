package dev.tpo.api.steps;

import dev.tpo.api.ArtifactRef;

/**
 * @param generations one JSONL row per sample
 * @param reused      true when a finished output of an earlier attempt was found and nothing was computed
 */
public record GenerateOutput(ArtifactRef generations, int prompts, int samples, int malformed, long generatedTokens,
                             double seconds, boolean reused) {
}
