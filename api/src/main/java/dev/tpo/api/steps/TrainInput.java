package dev.tpo.api.steps;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.spec.ComputeSettings;
import dev.tpo.api.spec.DpoSettings;

/** DPO on the iteration's pairs, starting from the iteration's policy. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TrainInput(
        RunContext run,
        int iteration,
        ArtifactRef policy,
        ArtifactRef trainingPairs,
        DpoSettings dpo,
        long seed,
        ComputeSettings compute) {}
