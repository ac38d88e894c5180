package dev.tpo.api.steps;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.spec.TrackingSettings;
import java.util.List;

/**
 * What a TPO run has finished so far, for its MLflow run. Every update carries all of it, so one that fails (the
 * tracking server was away) is made good by the next; what was logged before is skipped.
 *
 * @param seedEval        null until the seed's evaluation has finished (or when the run has none)
 * @param seedArtifacts   the seed evaluation's files; null with seedEval
 * @param seedEvaluatedAtMillis workflow time the seed's evaluation finished, its metrics' timestamp
 * @param status          running, completed, stopped or failed; anything but running ends the MLflow run
 * @param report          the run's report.json (report.html beside it); null until written
 * @param atMillis        workflow time of this update (the end time of a finished run)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TrackingUpdate(
        RunContext run,
        TrackingSettings tracking,
        TrackedRun tracked,
        EvalResult seedEval,
        IterationArtifacts seedArtifacts,
        long seedEvaluatedAtMillis,
        List<IterationSummary> iterations,
        String status,
        ArtifactRef report,
        long atMillis) {}
