package dev.tpo.api.steps;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.spec.ComputeSettings;
import dev.tpo.api.spec.EvalSettings;
import dev.tpo.api.spec.ThoughtSettings;

/** A model answers the eval prompts (greedy unless the settings say otherwise); thoughts are split off. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AnswerInput(
        RunContext run,
        int iteration,
        String label,
        ArtifactRef model,
        ArtifactRef evalPrompts,
        ThoughtSettings thought,
        EvalSettings evaluation,
        long seed,
        ComputeSettings compute) {}
