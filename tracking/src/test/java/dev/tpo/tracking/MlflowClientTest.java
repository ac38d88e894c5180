package dev.tpo.tracking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client against a real MLflow 3.17.2 server: what it writes is read back through the REST API. */
@Tag("mlflow")
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class MlflowClientTest {
    private static MlflowClient client() {
        return new MlflowClient(LocalMlflow.server().uri(), MlflowCredentials.none(), Duration.ofSeconds(30));
    }

    @Test
    void runIsFoundByTagAndLogsParamsMetricsTagsAndArtifactsOnce() {
        MlflowClient mlflow = client();
        String experiment = mlflow.findOrCreateExperiment("client-test");
        assertEquals(experiment, mlflow.findOrCreateExperiment("client-test"), "found, not created twice");
        assertTrue(mlflow.findRunByTag(experiment, "tpo.workflow_id", "wf-1").isEmpty());
        MlflowRunInfo run =
                mlflow.createRun(experiment, "math-v1", 1_700_000_000_000L, Map.of("tpo.workflow_id", "wf-1"));
        assertEquals("math-v1", run.runName());
        assertEquals(
                run.runId(),
                mlflow.findRunByTag(experiment, "tpo.workflow_id", "wf-1")
                        .orElseThrow()
                        .runId());
        assertTrue(mlflow.findRunByTag(experiment, "tpo.workflow_id", "wf-2").isEmpty());

        // Past the per-request limits (1000 metrics, 100 params), so the batching is exercised.
        List<MlflowMetric> metrics = new ArrayList<>();
        for (int step = 1; step <= 1200; step++) {
            metrics.add(new MlflowMetric("dpo/loss", 1.0 / step, 1_700_000_001_000L, step));
        }
        metrics.add(new MlflowMetric("dpo/skipped", Double.NaN, 1_700_000_001_000L, 1));
        Map<String, String> params = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 150; i++) {
            params.put("p" + i, Integer.toString(i));
        }
        mlflow.logBatch(run.runId(), metrics, params, Map.of("tpo.status", "running"));
        mlflow.logBatch(run.runId(), metrics, params, Map.of("tpo.status", "running"));

        List<MlflowMetric> history = mlflow.metricHistory(run.runId(), "dpo/loss");
        assertEquals(1200, history.size(), "the same values logged twice are kept once");
        assertEquals(
                0.5,
                history.stream()
                        .filter(m -> m.step() == 2)
                        .findFirst()
                        .orElseThrow()
                        .value(),
                1e-12);
        assertTrue(mlflow.metricHistory(run.runId(), "dpo/skipped").isEmpty(), "NaN is left out");
        MlflowRunInfo read = mlflow.getRun(run.runId());
        assertEquals(150, read.params().size());
        assertEquals("149", read.params().get("p149"));
        assertEquals("running", read.tags().get("tpo.status"));

        byte[] html = "<!DOCTYPE html><p>report \u2713</p>".getBytes(StandardCharsets.UTF_8);
        mlflow.uploadArtifact(read, "report/report.html", html, "text/html");
        assertArrayEquals(html, mlflow.downloadArtifact(read, "report/report.html"));

        mlflow.endRun(run.runId(), "FINISHED", 1_700_000_009_000L);
        assertEquals("FINISHED", mlflow.getRun(run.runId()).status());
    }

    @Test
    void errorsSayWhetherARetryCanHelp() throws Exception {
        MlflowClient mlflow = client();
        String experiment = mlflow.findOrCreateExperiment("client-errors");
        MlflowRunInfo run = mlflow.createRun(experiment, "r", 1L, Map.of());
        mlflow.logBatch(run.runId(), List.of(), Map.of("beta", "0.1"), Map.of());
        MlflowException changed = assertThrows(
                MlflowException.class, () -> mlflow.logBatch(run.runId(), List.of(), Map.of("beta", "0.2"), Map.of()));
        assertEquals("INVALID_PARAMETER_VALUE", changed.errorCode());
        assertFalse(changed.retryable());
        assertTrue(changed.getMessage().contains("/api/2.0/mlflow/runs/log-batch"), changed.getMessage());

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        MlflowException down = assertThrows(
                MlflowException.class,
                () -> new MlflowClient(
                                URI.create("http://127.0.0.1:" + closedPort),
                                MlflowCredentials.none(),
                                Duration.ofSeconds(5))
                        .experimentId("x"));
        assertTrue(down.retryable(), "an unreachable server may come back");
        assertEquals(0, down.status());
    }

    @Test
    void credentialsComeFromMlflowsVariablesAndAreNeverPrinted() {
        MlflowCredentials token = MlflowCredentials.from(Map.of("MLFLOW_TRACKING_TOKEN", "tok-s3cret")::get);
        assertEquals("Bearer tok-s3cret", token.authorization().orElseThrow());
        assertFalse(token.toString().contains("s3cret"), token.toString());
        MlflowCredentials basic = MlflowCredentials.from(
                Map.of("MLFLOW_TRACKING_USERNAME", "ann", "MLFLOW_TRACKING_PASSWORD", "pw-s3cret")::get);
        assertTrue(basic.authorization().orElseThrow().startsWith("Basic "));
        assertFalse(basic.toString().contains("s3cret"), basic.toString());
        assertTrue(MlflowCredentials.from(Map.<String, String>of()::get)
                .authorization()
                .isEmpty());
        IllegalArgumentException half = assertThrows(
                IllegalArgumentException.class,
                () -> MlflowCredentials.from(Map.of("MLFLOW_TRACKING_PASSWORD", "pw-s3cret")::get));
        assertFalse(half.getMessage().contains("s3cret"));
        assertTrue(half.getMessage().contains("MLFLOW_TRACKING_USERNAME"), half.getMessage());
    }
}
