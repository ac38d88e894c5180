package dev.tpo.api.steps;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tpo.api.spec.RunSpec;

/**
 * Find or create the MLflow run of a TPO run and log its parameters.
 *
 * @param startedAtMillis workflow time, so a retried attempt creates the run with the same start time
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TrackingStart(RunContext run, RunSpec spec, String specSha256, long startedAtMillis) {}
