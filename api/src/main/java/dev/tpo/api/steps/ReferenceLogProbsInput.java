package dev.tpo.api.steps;

import dev.tpo.api.ArtifactRef;
import dev.tpo.api.spec.ComputeSettings;

/** Log-probs of chosen and rejected under the frozen iteration-start policy, computed once before training. */
public record ReferenceLogProbsInput(RunContext run, int iteration, ArtifactRef policy, ArtifactRef pairs,
                                     ComputeSettings compute) {
}
