package dev.tpo.api.steps;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Write one iteration's report (JSON) beside its artifacts. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ReportInput(RunContext run, IterationSummary summary) {}
