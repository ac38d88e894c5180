package dev.tpo.workflows;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.spec.RunSpec;
import dev.tpo.api.steps.RunContext;
import dev.tpo.api.steps.RunInputs;

/**
 * @param policy          the iteration's starting policy (the seed, or the previous iteration's result)
 * @param baselineAnswers the baseline's eval answers, null when the run has no baseline
 * @param startPaused     the run was paused when this iteration started
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record IterationInput(
        RunContext run,
        int iteration,
        RunSpec spec,
        RunInputs inputs,
        ArtifactRef policy,
        ArtifactRef baselineAnswers,
        boolean startPaused) {}
