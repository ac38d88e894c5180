package dev.tpo.activities;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpo.api.ArtifactRef;
import dev.tpo.api.Failures;
import dev.tpo.api.activities.TrackingActivity;
import dev.tpo.api.spec.RunSpec;
import dev.tpo.api.spec.RunSpecParser;
import dev.tpo.api.spec.TrackingSettings;
import dev.tpo.api.steps.EvalResult;
import dev.tpo.api.steps.IterationArtifacts;
import dev.tpo.api.steps.IterationSummary;
import dev.tpo.api.steps.PairSummary;
import dev.tpo.api.steps.TrackedRun;
import dev.tpo.api.steps.TrackingStart;
import dev.tpo.api.steps.TrackingUpdate;
import dev.tpo.tracking.LocalMlflow;
import dev.tpo.tracking.MlflowClient;
import dev.tpo.tracking.MlflowCredentials;
import dev.tpo.tracking.MlflowMetric;
import dev.tpo.tracking.MlflowRunInfo;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The tracking step against a real MLflow server, read back through MLflow's REST API. */
@Tag("mlflow")
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class TrackingStepTest {
    @TempDir
    Path tempDir;

    private static EvalResult eval(double score) {
        return new EvalResult(
                10,
                "win_rate",
                score,
                score,
                score - 2,
                null,
                5.0,
                40.0,
                12.0,
                Map.of("plus-times", score, "minus/times?", score + 1));
    }

    private IterationSummary iteration(StepTestSupport t, int k, String metricsJsonl) {
        ArtifactRef log = t.putText("artifacts/runs/run-1/iter-" + k + "/train/metrics.jsonl", metricsJsonl);
        return new IterationSummary(
                k,
                "specific",
                t.putText("artifacts/m" + k, "m"),
                8,
                64,
                4,
                700,
                new PairSummary(8, 6, 1, 1, 4, 64, 20.0, 30.0, 0.7),
                Map.of("loss", 0.3),
                0,
                eval(40 + 10 * k),
                Map.of("generate", 3.5, "train", 7.25),
                Map.of(),
                new IterationArtifacts(null, log, null, null),
                1_700_000_100_000L * k,
                null);
    }

    @Test
    void aRunIsTrackedOnceWithItsSpecStepAndIterationMetricsAndItsReport() throws Exception {
        StepTestSupport t = new StepTestSupport(tempDir, "tracked");
        String uri = LocalMlflow.server().uri().toString();
        TrackingSettings settings = new TrackingSettings(uri, "activities-" + System.nanoTime());
        RunSpec spec = new RunSpecParser()
                .parse("{\"name\": \"math-v1\", \"seed_policy\": \"file:///m/\", "
                        + "\"train_prompts\": \"file:///t.jsonl\", \"eval_prompts\": \"file:///e.jsonl\", "
                        + "\"dpo\": {\"beta\": 0.25}, \"tracking\": {\"mlflow_uri\": \"" + uri
                        + "\", \"experiment\": \""
                        + settings.experiment() + "\"}}");
        TestActivityEnvironment env =
                StepTestSupport.activityEnvironment(new TrackingStep(t.services, Map.<String, String>of()::get));
        TrackingActivity tracking = env.newActivityStub(TrackingActivity.class, StepTestSupport.ONE_ATTEMPT);

        TrackedRun first = tracking.startTracking(new TrackingStart(t.run, spec, "ab12cd", 1_700_000_000_000L));
        TrackedRun again = tracking.startTracking(new TrackingStart(t.run, spec, "ab12cd", 1_700_000_000_000L));
        assertEquals(first, again, "a retried start finds the run by its workflow id tag");
        assertEquals(uri + "/#/experiments/" + first.experimentId() + "/runs/" + first.mlflowRunId(), first.runUrl());

        MlflowClient mlflow =
                new MlflowClient(LocalMlflow.server().uri(), MlflowCredentials.none(), Duration.ofSeconds(30));
        MlflowRunInfo run = mlflow.getRun(first.mlflowRunId());
        assertEquals("math-v1", run.runName());
        assertEquals("run-1", run.tags().get("tpo.workflow_id"));
        assertEquals("ab12cd", run.tags().get("tpo.spec_sha256"));
        assertEquals("0.25", run.params().get("dpo.beta"));
        assertEquals("specific", run.params().get("thought.mode"));
        assertEquals(uri, run.params().get("tracking.mlflow_uri"));
        assertTrue(new String(mlflow.downloadArtifact(run, "run_spec.json"), StandardCharsets.UTF_8)
                .contains("\"beta\" : 0.25"));

        IterationSummary it1 = iteration(
                t,
                1,
                "{\"loss\":0.69,\"rewards/margins\":0.0,\"step\":1}\n"
                        + "{\"loss\":0.5,\"rewards/margins\":0.4,\"step\":2}\n"
                        + "{\"loss\":0.4,\"rewards/margins\":0.9,\"step\":3}\n");
        IterationSummary it2 = iteration(
                t,
                2,
                "{\"loss\":0.35,\"rewards/margins\":1.1,\"step\":1}\n"
                        + "{\"loss\":0.3,\"rewards/margins\":1.3,\"step\":2}\n");
        TrackingUpdate afterOne = new TrackingUpdate(
                t.run,
                settings,
                first,
                eval(30),
                null,
                1_700_000_050_000L,
                List.of(it1),
                "running",
                null,
                1_700_000_100_001L);
        tracking.trackIterations(afterOne);
        tracking.trackIterations(afterOne);
        assertEquals(List.of(0.69, 0.5, 0.4), values(mlflow, first, "dpo/loss"), "sent twice, kept once");

        t.putText("artifacts/runs/run-1/report.html", "<!DOCTYPE html><title>report</title>");
        ArtifactRef report = t.putText("artifacts/runs/run-1/report.json", "{\"run_id\": \"run-1\"}");
        tracking.finishTracking(new TrackingUpdate(
                t.run,
                settings,
                first,
                eval(30),
                null,
                1_700_000_050_000L,
                List.of(it1, it2),
                "completed",
                report,
                1_700_000_300_000L));

        List<MlflowMetric> loss = mlflow.metricHistory(first.mlflowRunId(), "dpo/loss");
        assertEquals(
                List.of(1L, 2L, 3L, 4L, 5L),
                loss.stream().map(MlflowMetric::step).sorted().toList(),
                "iteration 2's steps continue after iteration 1's");
        assertEquals(
                1.3,
                mlflow.metricHistory(first.mlflowRunId(), "dpo/rewards/margins").stream()
                        .filter(m -> m.step() == 5)
                        .findFirst()
                        .orElseThrow()
                        .value(),
                1e-12);
        List<MlflowMetric> score = mlflow.metricHistory(first.mlflowRunId(), "eval/score");
        assertEquals(
                Map.of(0L, 30.0, 1L, 50.0, 2L, 60.0),
                score.stream().collect(java.util.stream.Collectors.toMap(MlflowMetric::step, MlflowMetric::value)));
        assertEquals(List.of(28.0, 48.0, 58.0), values(mlflow, first, "eval/lc_win_rate"), "seed, 1, 2");
        assertEquals(List.of(6.0, 6.0), values(mlflow, first, "pairs/kept"));
        assertEquals(List.of(1.0, 1.0), values(mlflow, first, "pairs/dropped_ties"));
        assertEquals(List.of(6.25, 6.25), values(mlflow, first, "samples/malformed_rate"));
        assertEquals(List.of(7.25, 7.25), values(mlflow, first, "time/train_seconds"));
        assertEquals(
                3,
                mlflow.metricHistory(first.mlflowRunId(), "eval/category/minus/times_")
                        .size());
        MlflowRunInfo finished = mlflow.getRun(first.mlflowRunId());
        assertEquals("FINISHED", finished.status());
        assertEquals("completed", finished.tags().get("tpo.status"));
        assertArrayEquals(
                "<!DOCTYPE html><title>report</title>".getBytes(StandardCharsets.UTF_8),
                mlflow.downloadArtifact(finished, "report/report.html"));
        assertEquals(
                "{\"run_id\": \"run-1\"}",
                new String(mlflow.downloadArtifact(finished, "report/report.json"), StandardCharsets.UTF_8));
    }

    @Test
    void halfSetCredentialsFailWithoutRetryNamingTheVariable() {
        StepTestSupport t = new StepTestSupport(tempDir, "creds");
        TestActivityEnvironment env = StepTestSupport.activityEnvironment(
                new TrackingStep(t.services, Map.of("MLFLOW_TRACKING_USERNAME", "ann")::get));
        TrackingActivity tracking = env.newActivityStub(TrackingActivity.class, StepTestSupport.ONE_ATTEMPT);
        RunSpec spec = new RunSpecParser()
                .parse("{\"seed_policy\": \"file:///m/\", \"train_prompts\": "
                        + "\"file:///t.jsonl\", \"eval_prompts\": \"file:///e.jsonl\", \"tracking\": {\"mlflow_uri\": "
                        + "\"http://127.0.0.1:9\"}}");
        ActivityFailure failure = assertThrows(
                ActivityFailure.class, () -> tracking.startTracking(new TrackingStart(t.run, spec, "ab", 1L)));
        ApplicationFailure cause = (ApplicationFailure) failure.getCause();
        assertEquals(Failures.INVALID_INPUT, cause.getType());
        assertTrue(cause.getOriginalMessage().contains("MLFLOW_TRACKING_PASSWORD"), cause.getOriginalMessage());
    }

    private static List<Double> values(MlflowClient mlflow, TrackedRun run, String key) {
        return mlflow.metricHistory(run.mlflowRunId(), key).stream()
                .sorted(java.util.Comparator.comparingLong(MlflowMetric::step))
                .map(MlflowMetric::value)
                .toList();
    }
}
