package dev.tpo.api.steps;

import dev.tpo.api.ArtifactRef;

/**
 * The run's inputs, pinned by digest, so every later step reads exactly what was checked.
 *
 * @param judgeModel    null unless the judge runs a local model
 * @param baselineModel null unless evaluation compares against a model other than the seed
 */
public record RunInputs(ArtifactRef seedPolicy, ArtifactRef trainPrompts, ArtifactRef evalPrompts,
                        int trainPromptCount, int evalPromptCount, ArtifactRef judgeModel,
                        ArtifactRef baselineModel) {
}
