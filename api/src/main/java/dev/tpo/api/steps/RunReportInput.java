package dev.tpo.api.steps;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/** Write the run's report: every iteration against the seed, as JSON and a readable table. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunReportInput(RunContext run, String name, String thoughtMode, EvalResult seedEval,
                             List<IterationSummary> iterations) {
}
