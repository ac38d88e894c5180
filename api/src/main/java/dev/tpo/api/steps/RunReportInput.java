package dev.tpo.api.steps;

import java.util.List;

/** Write the run's report: every iteration against the seed, as JSON and a readable table. */
public record RunReportInput(RunContext run, String name, String thoughtMode, EvalResult seedEval,
                             List<IterationSummary> iterations) {
}
