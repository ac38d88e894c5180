package dev.tpo.activities;

import dev.tpo.api.steps.EvalResult;
import dev.tpo.api.steps.IterationSummary;
import java.util.List;

/** report.json of a run: every iteration against the seed. */
record RunReport(String runId, String name, String thoughtMode, EvalResult seedEval,
                 List<IterationSummary> iterations) {
}
