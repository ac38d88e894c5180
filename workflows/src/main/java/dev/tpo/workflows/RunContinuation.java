package dev.tpo.workflows;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.steps.IterationSummary;
import dev.tpo.api.steps.RunInputs;
import dev.tpo.api.steps.TrackedRun;
import java.util.List;
import java.util.Map;

/**
 * What a run carries into its next run when it continues as new at an iteration boundary, so its history starts
 * again from a few events while the run goes on where it was: references and summaries only, a few KB.
 *
 * @param inputs          the run's pinned inputs (not prepared again)
 * @param baselineAnswers the baseline's eval answers, null when the run has no baseline
 * @param policy          the last finished iteration's policy, the next iteration's start
 * @param finished        every finished iteration's summary, in order
 * @param seed            the seed's evaluation, null when the run has none (a run continues only once it is done)
 * @param tracked         the MLflow run, null when untracked (found again by the workflow id tag if it were lost)
 * @param trackingProblem why the last MLflow update failed, null when it succeeded
 * @param step            the last step shown, until the next iteration reports its first
 * @param latestMetrics   the newest numbers the progress query shows
 * @param paused          the run was paused at the boundary, so it holds before the next iteration
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunContinuation(
        RunInputs inputs,
        ArtifactRef baselineAnswers,
        ArtifactRef policy,
        List<IterationSummary> finished,
        SeedEvaluation seed,
        TrackedRun tracked,
        String trackingProblem,
        String step,
        Map<String, Double> latestMetrics,
        boolean paused) {}
