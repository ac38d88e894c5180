package dev.tpo.api.steps;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tpo.api.ArtifactRef;
import java.util.List;

/**
 * Write the run's report: every iteration against the seed, as JSON and a self-contained HTML page with curves and
 * transcripts.
 *
 * @param seedArtifacts   the seed evaluation's answers and verdicts; null when the seed was not evaluated
 * @param baselineAnswers what the eval judge compared against; null when the run has no baseline
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunReportInput(
        RunContext run,
        String name,
        String thoughtMode,
        EvalResult seedEval,
        IterationArtifacts seedArtifacts,
        ArtifactRef baselineAnswers,
        List<IterationSummary> iterations) {}
