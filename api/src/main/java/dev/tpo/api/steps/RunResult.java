package dev.tpo.api.steps;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tpo.api.ArtifactRef;
import java.util.List;

/**
 * @param status      completed, or stopped (a stopAfterIteration signal ended it early)
 * @param seedEval    the seed policy's evaluation; null when evaluation.evaluate_seed is false
 * @param finalPolicy the last iteration's policy
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunResult(
        String runId,
        String name,
        String status,
        EvalResult seedEval,
        List<IterationSummary> iterations,
        ArtifactRef finalPolicy,
        ArtifactRef report) {}
