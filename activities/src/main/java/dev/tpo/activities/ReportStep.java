package dev.tpo.activities;

import dev.tpo.activities.heartbeat.HeartbeatPump;
import dev.tpo.activities.report.ReportTranscripts;
import dev.tpo.activities.report.RunReport;
import dev.tpo.activities.report.RunReportHtml;
import dev.tpo.activities.rows.TrainingLogRows;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.activities.ReportActivity;
import dev.tpo.api.steps.IterationSummary;
import dev.tpo.api.steps.ReportInput;
import dev.tpo.api.steps.RunReportInput;
import dev.tpo.artifacts.ArtifactStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The iteration and run reports, beside the artifacts they describe. */
public final class ReportStep implements ReportActivity {
    static final String STEP = "report";
    private final StepServices services;

    ReportStep(StepServices services) {
        this.services = services;
    }

    @Override
    public ArtifactRef writeIterationReport(ReportInput input) {
        return StepFailures.translate(
                STEP,
                () -> HeartbeatPump.keepAlive(services.heartbeatEvery(), STEP, () -> {
                    ArtifactStore store = services.runStores().forRun(input.run());
                    IterationSummary summary = input.summary();
                    ArtifactRef ref = store.putBytes(
                            input.run().iterationPrefix(summary.iteration()) + "report.json",
                            services.json().prettyBytes(summary));
                    services.recorder()
                            .record(
                                    store,
                                    input.run(),
                                    ref,
                                    STEP,
                                    summary.iteration(),
                                    null,
                                    summary.policy() == null
                                            ? List.of()
                                            : List.of(summary.policy().sha256()));
                    return ref;
                }));
    }

    @Override
    public ArtifactRef writeRunReport(RunReportInput input) {
        return StepFailures.translate(
                STEP,
                () -> HeartbeatPump.keepAlive(services.heartbeatEvery(), STEP, () -> {
                    ArtifactStore store = services.runStores().forRun(input.run());
                    RunReport report = new RunReport(
                            input.run().runId(),
                            input.name(),
                            input.thoughtMode(),
                            input.seedEval(),
                            input.iterations());
                    ArtifactRef json = store.putBytes(
                            input.run().runPrefix() + "report.json",
                            services.json().prettyBytes(report));
                    ReportTranscripts transcripts = new ReportTranscripts(services);
                    ArtifactRef html = store.putBytes(
                            input.run().runPrefix() + "report.html",
                            RunReportHtml.render(
                                            report,
                                            trainingLogs(input),
                                            transcripts.eval(input),
                                            transcripts.pairs(input))
                                    .getBytes(StandardCharsets.UTF_8));
                    List<String> digests = input.iterations().stream()
                            .filter(it -> it.report() != null)
                            .map(it -> it.report().sha256())
                            .toList();
                    services.recorder().record(store, input.run(), json, STEP, 0, null, digests);
                    services.recorder().record(store, input.run(), html, STEP, 0, null, digests);
                    return json;
                }));
    }

    private Map<Integer, List<Map<String, Double>>> trainingLogs(RunReportInput input) {
        Map<Integer, List<Map<String, Double>>> logs = new TreeMap<>();
        for (IterationSummary it : input.iterations()) {
            if (it.artifacts() != null && it.artifacts().metricsLog() != null) {
                ArtifactRef log = it.artifacts().metricsLog();
                logs.put(
                        it.iteration(),
                        TrainingLogRows.parse(services.runStores().all().read(log), log.uri()));
            }
        }
        return logs;
    }
}
