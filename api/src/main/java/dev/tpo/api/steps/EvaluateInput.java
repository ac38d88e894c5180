package dev.tpo.api.steps;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.spec.ComputeSettings;
import dev.tpo.api.spec.EvalSettings;
import dev.tpo.api.spec.JudgeSettings;

/**
 * Judge a policy's eval answers against the baseline's.
 *
 * @param baselineAnswers null when the run has no baseline (scores only)
 * @param judgeModel      null unless the judge runs a local model
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EvaluateInput(
        RunContext run,
        int iteration,
        ArtifactRef policyAnswers,
        ArtifactRef baselineAnswers,
        EvalSettings evaluation,
        JudgeSettings judge,
        ArtifactRef judgeModel,
        ComputeSettings compute) {}
