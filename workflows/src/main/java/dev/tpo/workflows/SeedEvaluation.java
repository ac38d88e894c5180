package dev.tpo.workflows;

import dev.tpo.api.steps.EvalResult;
import dev.tpo.api.steps.IterationArtifacts;

/**
 * The seed policy's own evaluation, the row every iteration is read against.
 *
 * @param artifacts         its answers and verdicts (no pairs, no training log)
 * @param evaluatedAtMillis workflow time it finished, its metrics' timestamp in MLflow
 */
record SeedEvaluation(EvalResult result, IterationArtifacts artifacts, long evaluatedAtMillis) {}
