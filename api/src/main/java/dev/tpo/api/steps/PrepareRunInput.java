package dev.tpo.api.steps;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tpo.api.spec.RunSpec;

/** Check and pin the run's inputs before any GPU work: every URI resolves, every file parses. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PrepareRunInput(RunContext run, RunSpec spec) {}
