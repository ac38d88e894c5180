package dev.tpo.api.steps;

/** Write one iteration's report (JSON) beside its artifacts. */
public record ReportInput(RunContext run, IterationSummary summary) {
}
