package dev.tpo.api.steps;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The MLflow run that tracks a TPO run; its URL goes into the workflow's memo, and the MLflow run's tags carry the
 * workflow id, so each side links to the other.
 *
 * @param runUrl the run's page in the MLflow UI
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TrackedRun(String experimentId, String mlflowRunId, String runUrl) {}
