package dev.tpo.api.steps;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tpo.api.ArtifactRef;

/**
 * The run's inputs, pinned by digest, so every later step reads exactly what was checked.
 *
 * @param judgeModel    null unless the judge runs a local model
 * @param baselineModel null unless evaluation compares against a model other than the seed
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunInputs(
        ArtifactRef seedPolicy,
        ArtifactRef trainPrompts,
        ArtifactRef evalPrompts,
        int trainPromptCount,
        int evalPromptCount,
        ArtifactRef judgeModel,
        ArtifactRef baselineModel) {}
