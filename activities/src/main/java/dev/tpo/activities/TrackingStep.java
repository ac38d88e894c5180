package dev.tpo.activities;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tpo.activities.heartbeat.HeartbeatPump;
import dev.tpo.activities.rows.TrainingLogRows;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.activities.TrackingActivity;
import dev.tpo.api.spec.RunSpecParser;
import dev.tpo.api.spec.TrackingSettings;
import dev.tpo.api.steps.EvalResult;
import dev.tpo.api.steps.IterationSummary;
import dev.tpo.api.steps.PairSummary;
import dev.tpo.api.steps.TrackedRun;
import dev.tpo.api.steps.TrackingStart;
import dev.tpo.api.steps.TrackingUpdate;
import dev.tpo.artifacts.ArtifactStore;
import dev.tpo.tracking.MlflowClient;
import dev.tpo.tracking.MlflowCredentials;
import dev.tpo.tracking.MlflowMetric;
import dev.tpo.tracking.MlflowParams;
import dev.tpo.tracking.MlflowRunInfo;
import io.temporal.activity.Activity;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A run's experiment tracking in MLflow. The MLflow run is found by its {@value #WORKFLOW_TAG} tag before one is
 * created, so a retried or replayed start never makes a second run; metrics carry timestamps from workflow time, so
 * values sent again are the same values (MLflow keeps them once), and tags record how far logging got, so an update
 * sends only what is new.
 *
 * <p>Metrics: {@code dpo/...} per DPO logging step (TRL's names from metrics.jsonl; steps count on across
 * iterations), and per iteration (step = iteration, 0 for the seed) {@code eval/...}, {@code pairs/...},
 * {@code samples/...} and {@code time/...}.
 */
public final class TrackingStep implements TrackingActivity {
    static final String STEP = "tracking";
    static final String WORKFLOW_TAG = "tpo.workflow_id";
    static final String LOGGED_THROUGH_TAG = "tpo.logged_iterations";
    static final String LOGGED_SEED_TAG = "tpo.logged_seed";
    private final StepServices services;
    private final Function<String, String> environment;

    TrackingStep(StepServices services, Function<String, String> environment) {
        this.services = services;
        this.environment = environment;
    }

    @Override
    public TrackedRun startTracking(TrackingStart input) {
        return StepFailures.translate(
                STEP,
                () -> HeartbeatPump.keepAlive(services.heartbeatEvery(), STEP, () -> {
                    TrackingSettings settings = input.spec().tracking();
                    MlflowClient mlflow = client(settings);
                    String runId = input.run().runId();
                    String experiment = mlflow.findOrCreateExperiment(settings.experiment());
                    MlflowRunInfo run = mlflow.findRunByTag(experiment, WORKFLOW_TAG, runId)
                            .orElseGet(() -> mlflow.createRun(
                                    experiment,
                                    input.spec().name(),
                                    input.startedAtMillis(),
                                    Map.of(WORKFLOW_TAG, runId)));
                    if (!run.artifactUri().startsWith("mlflow-artifacts:")) {
                        throw StepFailures.invalidInput(
                                "tracking.mlflow_uri: the MLflow server at " + settings.mlflowUri()
                                        + " keeps artifacts at " + run.artifactUri()
                                        + ", which a worker cannot write through it; "
                                        + "start it with artifact proxying (--serve-artifacts, MLflow's default)");
                    }
                    RunSpecParser parser = new RunSpecParser();
                    String specJson = parser.toJson(input.spec());
                    JsonNode specTree = services.json().mapper().valueToTree(input.spec());
                    Map<String, String> tags = new LinkedHashMap<>();
                    tags.put("tpo.run_name", input.spec().name());
                    tags.put("tpo.spec_sha256", input.specSha256());
                    tags.put("tpo.manifest_uri", input.run().manifestUri());
                    tags.put("tpo.thought_mode", input.spec().thought().mode().wireName());
                    tags.put(
                            "tpo.temporal_namespace",
                            Activity.getExecutionContext().getInfo().getNamespace());
                    tags.put("tpo.status", "running");
                    tags.put(
                            "mlflow.note.content",
                            "TPO run `" + runId + "` (Temporal workflow `TpoRunWorkflow`, "
                                    + "namespace `" + tags.get("tpo.temporal_namespace")
                                    + "`): its artifacts and lineage are under `"
                                    + input.run().artifactRoot() + input.run().runPrefix() + "`.");
                    mlflow.logBatch(run.runId(), List.of(), MlflowParams.flatten(specTree), tags);
                    mlflow.uploadArtifact(
                            run, "run_spec.json", specJson.getBytes(StandardCharsets.UTF_8), "application/json");
                    return new TrackedRun(experiment, run.runId(), mlflow.runUrl(experiment, run.runId()));
                }));
    }

    @Override
    public void trackIterations(TrackingUpdate input) {
        StepFailures.translate(
                STEP,
                () -> HeartbeatPump.keepAlive(services.heartbeatEvery(), STEP, () -> {
                    MlflowClient mlflow = client(input.tracking());
                    logNew(mlflow, mlflow.getRun(input.tracked().mlflowRunId()), input);
                    return null;
                }));
    }

    @Override
    public void finishTracking(TrackingUpdate input) {
        StepFailures.translate(
                STEP,
                () -> HeartbeatPump.keepAlive(services.heartbeatEvery(), STEP, () -> {
                    MlflowClient mlflow = client(input.tracking());
                    MlflowRunInfo run = mlflow.getRun(input.tracked().mlflowRunId());
                    logNew(mlflow, run, input);
                    if (input.report() != null) {
                        ArtifactStore store = services.runStores().forRun(input.run());
                        mlflow.uploadArtifact(
                                run, "report/report.json", store.read(input.report()), "application/json");
                        String html = input.run().runPrefix() + "report.html";
                        ArtifactRef htmlRef = store.find(html)
                                .orElseThrow(() -> StepFailures.invalidInput("the run report " + store.uri(html)
                                        + " is missing beside " + input.report().uri()));
                        mlflow.uploadArtifact(
                                run, "report/report.html", store.read(htmlRef), "text/html; charset=utf-8");
                    }
                    mlflow.logBatch(run.runId(), List.of(), Map.of(), Map.of("tpo.status", input.status()));
                    mlflow.endRun(
                            run.runId(), input.status().equals("failed") ? "FAILED" : "FINISHED", input.atMillis());
                    return null;
                }));
    }

    /** Logs the seed and every iteration that the run's tags do not mark as logged, marking each when done. */
    private void logNew(MlflowClient mlflow, MlflowRunInfo run, TrackingUpdate input) {
        if (input.seedEval() != null && !"true".equals(run.tags().get(LOGGED_SEED_TAG))) {
            List<MlflowMetric> metrics = new ArrayList<>();
            evalMetrics(input.seedEval(), 0, input.seedEvaluatedAtMillis(), metrics);
            mlflow.logBatch(run.runId(), metrics, Map.of(), Map.of(LOGGED_SEED_TAG, "true"));
        }
        int loggedThrough = Integer.parseInt(run.tags().getOrDefault(LOGGED_THROUGH_TAG, "0"));
        long stepOffset = 0;
        for (IterationSummary it : input.iterations()) {
            List<Map<String, Double>> rows = trainingLog(input, it);
            if (it.iteration() > loggedThrough) {
                List<MlflowMetric> metrics = new ArrayList<>();
                long at = it.finishedAtMillis();
                for (Map<String, Double> row : rows) {
                    long step = stepOffset + row.get("step").longValue();
                    row.forEach((k, v) -> {
                        if (!k.equals("step")) {
                            metrics.add(new MlflowMetric("dpo/" + k, v, at, step));
                        }
                    });
                }
                iterationMetrics(it, at, metrics);
                mlflow.logBatch(
                        run.runId(), metrics, Map.of(), Map.of(LOGGED_THROUGH_TAG, Integer.toString(it.iteration())));
            }
            stepOffset += TrainingLogRows.lastStep(rows);
        }
    }

    private List<Map<String, Double>> trainingLog(TrackingUpdate input, IterationSummary it) {
        if (it.artifacts() == null || it.artifacts().metricsLog() == null) {
            return List.of();
        }
        ArtifactRef log = it.artifacts().metricsLog();
        return TrainingLogRows.parse(services.runStores().all().read(log), log.uri());
    }

    private static void iterationMetrics(IterationSummary it, long at, List<MlflowMetric> out) {
        int k = it.iteration();
        if (it.eval() != null) {
            evalMetrics(it.eval(), k, at, out);
        }
        PairSummary p = it.pairs();
        if (p != null) {
            out.add(new MlflowMetric("pairs/kept", p.pairs(), at, k));
            out.add(new MlflowMetric("pairs/dropped_ties", p.droppedAllTied(), at, k));
            out.add(new MlflowMetric("pairs/dropped_too_few_well_formed", p.droppedTooFewWellFormed(), at, k));
            out.add(new MlflowMetric("pairs/mean_chosen_length_tokens", p.meanChosenLength(), at, k));
            out.add(new MlflowMetric("pairs/mean_rejected_length_tokens", p.meanRejectedLength(), at, k));
            out.add(new MlflowMetric("pairs/mean_score_margin", p.meanScoreMargin(), at, k));
        }
        if (it.samples() > 0) {
            out.add(new MlflowMetric("samples/count", it.samples(), at, k));
            out.add(new MlflowMetric("samples/malformed_rate", 100.0 * it.malformedSamples() / it.samples(), at, k));
        }
        it.stepSeconds()
                .forEach(
                        (step, seconds) -> out.add(new MlflowMetric("time/" + key(step) + "_seconds", seconds, at, k)));
    }

    private static void evalMetrics(EvalResult e, int step, long at, List<MlflowMetric> out) {
        out.add(new MlflowMetric("eval/score", e.score(), at, step));
        optional("eval/win_rate", e.winRate(), at, step, out);
        optional("eval/lc_win_rate", e.lcWinRate(), at, step, out);
        optional("eval/accuracy", e.accuracy(), at, step, out);
        out.add(new MlflowMetric("eval/malformed_rate", e.malformedRate(), at, step));
        out.add(new MlflowMetric("eval/mean_thought_chars", e.meanThoughtChars(), at, step));
        out.add(new MlflowMetric("eval/mean_response_chars", e.meanResponseChars(), at, step));
        if (e.perCategory() != null) {
            e.perCategory()
                    .forEach((category, value) ->
                            out.add(new MlflowMetric("eval/category/" + key(category), value, at, step)));
        }
    }

    private static void optional(String key, Double value, long at, long step, List<MlflowMetric> out) {
        if (value != null) {
            out.add(new MlflowMetric(key, value, at, step));
        }
    }

    /** MLflow's metric names allow letters, digits, '_', '-', '.', ' ' and '/'; anything else becomes '_'. */
    static String key(String name) {
        return name.replaceAll("[^A-Za-z0-9_\\-. /]", "_");
    }

    private MlflowClient client(TrackingSettings settings) {
        MlflowCredentials credentials;
        try {
            credentials = MlflowCredentials.from(environment);
        } catch (IllegalArgumentException e) {
            throw StepFailures.invalidInput("MLflow credentials: " + e.getMessage());
        }
        return new MlflowClient(URI.create(settings.mlflowUri()), credentials, Duration.ofSeconds(60));
    }
}
