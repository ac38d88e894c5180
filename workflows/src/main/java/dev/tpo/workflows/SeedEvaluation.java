package dev.tpo.workflows;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tpo.api.steps.EvalResult;
import dev.tpo.api.steps.IterationArtifacts;

/**
 * The seed policy's own evaluation, the row every iteration is read against.
 *
 * @param artifacts         its answers and verdicts (no pairs, no training log)
 * @param evaluatedAtMillis workflow time it finished, its metrics' timestamp in MLflow
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SeedEvaluation(EvalResult result, IterationArtifacts artifacts, long evaluatedAtMillis) {}
