package dev.tpo.activities.report;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tpo.api.steps.EvalResult;
import dev.tpo.api.steps.IterationSummary;
import java.util.List;

/** report.json of a run: every iteration against the seed. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunReport(
        String runId, String name, String thoughtMode, EvalResult seedEval, List<IterationSummary> iterations) {}
