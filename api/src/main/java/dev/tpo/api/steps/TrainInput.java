package dev.tpo.api.steps;

import dev.tpo.api.ArtifactRef;
import dev.tpo.api.spec.ComputeSettings;
import dev.tpo.api.spec.DpoSettings;

/** DPO on the iteration's pairs, starting from the iteration's policy. */
public record TrainInput(RunContext run, int iteration, ArtifactRef policy, ArtifactRef trainingPairs,
                         DpoSettings dpo, long seed, ComputeSettings compute) {
}
