package dev.tpo.api.steps;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tpo.api.ArtifactRef;

/**
 * @param generations one JSONL row per sample
 * @param reused      true when a finished output of an earlier attempt was found and nothing was computed
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GenerateOutput(
        ArtifactRef generations,
        int prompts,
        int samples,
        int malformed,
        long generatedTokens,
        double seconds,
        boolean reused) {}
