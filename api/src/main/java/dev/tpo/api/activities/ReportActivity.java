package dev.tpo.api.activities;

import dev.tpo.api.ArtifactRef;
import dev.tpo.api.steps.ReportInput;
import dev.tpo.api.steps.RunReportInput;
import io.temporal.activity.ActivityInterface;

/** Control queue: the iteration and run reports beside the artifacts. */
@ActivityInterface
public interface ReportActivity {
    ArtifactRef writeIterationReport(ReportInput input);

    /** report.json and report.html (a table and a chart of eval score per iteration) under runs/{runId}/. */
    ArtifactRef writeRunReport(RunReportInput input);
}
