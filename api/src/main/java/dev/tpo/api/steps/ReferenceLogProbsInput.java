package dev.tpo.api.steps;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.spec.ComputeSettings;

/** Log-probs of chosen and rejected under the frozen iteration-start policy, computed once before training. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ReferenceLogProbsInput(
        RunContext run, int iteration, ArtifactRef policy, ArtifactRef pairs, ComputeSettings compute) {}
