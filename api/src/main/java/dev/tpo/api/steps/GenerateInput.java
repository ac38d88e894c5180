package dev.tpo.api.steps;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.spec.ComputeSettings;
import dev.tpo.api.spec.GenerationSettings;
import dev.tpo.api.spec.ThoughtSettings;

/** Sample K outputs for each prompt of one shard with the policy, and split each into thought and response. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GenerateInput(
        RunContext run,
        int iteration,
        int shard,
        ArtifactRef policy,
        ArtifactRef prompts,
        ThoughtSettings thought,
        GenerationSettings generation,
        long seed,
        ComputeSettings compute) {}
