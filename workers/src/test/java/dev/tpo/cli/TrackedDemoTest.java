package dev.tpo.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.tracking.LocalMlflow;
import dev.tpo.tracking.MlflowClient;
import dev.tpo.tracking.MlflowCredentials;
import dev.tpo.tracking.MlflowMetric;
import dev.tpo.tracking.MlflowRunInfo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real run tracked in a real MLflow server: the shortened demo's TPO arm through the whole pipeline, then
 * everything read back through MLflow's REST API and matched with the run's own artifacts.
 */
@Tag("mlflow")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class TrackedDemoTest {
    @TempDir
    Path dir;

    @Test
    void aTrackedRunLinksBothWaysAndItsCurvesAndReportAreInMlflow() throws Exception {
        String mlflowUri = LocalMlflow.server().uri().toString();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path json = dir.resolve("demo.json");
        int code = TpoCommand.execute(
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                "demo",
                "--preset",
                "smoke",
                "--arms",
                "tpo",
                "--output",
                dir.resolve("out").toString(),
                "--cache",
                dir.resolve("cache").toString(),
                "--json",
                json.toString(),
                "--mlflow-uri",
                mlflowUri);
        assertEquals(0, code, out + "\n" + err);
        String runId =
                new ObjectMapper().readTree(json.toFile()).path("tpo_run_id").asText();

        Matcher printed = Pattern.compile("tpo: MLflow run (\\S+)").matcher(out.toString());
        assertTrue(printed.find(), "the demo prints the memo's MLflow link: " + out);
        Matcher ids = Pattern.compile("/#/experiments/(\\w+)/runs/(\\w+)$").matcher(printed.group(1));
        assertTrue(ids.find(), printed.group(1));
        MlflowClient mlflow =
                new MlflowClient(LocalMlflow.server().uri(), MlflowCredentials.none(), Duration.ofSeconds(30));
        MlflowRunInfo run =
                mlflow.findRunByTag(ids.group(1), "tpo.workflow_id", runId).orElseThrow();
        assertEquals(ids.group(2), run.runId(), "memo -> MLflow run, and the run's tag -> the workflow");
        assertEquals("FINISHED", run.status());
        assertEquals("completed", run.tags().get("tpo.status"));
        assertEquals("demo-tpo", run.params().get("name"));
        assertEquals("verifier", run.params().get("judge.type"));

        Path runDir = dir.resolve("out/s3-data/s3/tpo-artifacts/runs").resolve(runId);
        Path metricsLog;
        try (Stream<Path> files = Files.walk(runDir.resolve("iter-1/train"))) {
            metricsLog = files.filter(p -> p.getFileName().toString().equals("metrics.jsonl"))
                    .findFirst()
                    .orElseThrow();
        }
        List<String> logged = Files.readAllLines(metricsLog).stream()
                .filter(l -> !l.isBlank())
                .toList();
        List<MlflowMetric> loss = mlflow.metricHistory(run.runId(), "dpo/loss");
        assertEquals(logged.size(), loss.size(), "one MLflow point per metrics.jsonl line");
        JsonNode firstLine = new ObjectMapper().readTree(logged.get(0));
        assertEquals(
                firstLine.path("loss").asDouble(),
                loss.stream()
                        .filter(m -> m.step() == firstLine.path("step").asLong())
                        .findFirst()
                        .orElseThrow()
                        .value(),
                1e-9);
        assertEquals(
                List.of(0L, 1L),
                mlflow.metricHistory(run.runId(), "eval/score").stream()
                        .map(MlflowMetric::step)
                        .sorted()
                        .toList(),
                "seed and iteration 1");
        assertEquals(1, mlflow.metricHistory(run.runId(), "pairs/kept").size());
        assertArrayEquals(
                Files.readAllBytes(runDir.resolve("report.html")),
                mlflow.downloadArtifact(run, "report/report.html"),
                "the run report, as written by the run");

        // As a person sees them: the report opened offline, and the MLflow run page with its metric charts.
        Path root = Peers.repoRoot();
        Path uiTest = root.resolve("infra/ui-test");
        assertTrue(
                Files.isDirectory(uiTest.resolve("node_modules/playwright-core")),
                "playwright-core missing: run infra/ui-test/install.sh (./run-tests does)");
        Path shots = root.resolve("workers/target/ui-test/report-screenshots");
        Files.createDirectories(shots);
        Path log = shots.resolve("screenshot-report.log");
        ProcessBuilder node = new ProcessBuilder("node", "screenshot-report.mjs")
                .directory(uiTest.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        node.environment()
                .putAll(Map.of(
                        "TPO_REPORT",
                        runDir.resolve("report.html").toString(),
                        "TPO_MLFLOW_RUN_URL",
                        printed.group(1),
                        "TPO_RUN_NAME",
                        "demo-tpo",
                        "TPO_OUT",
                        shots.toString()));
        Process browser = node.start();
        assertTrue(browser.waitFor(5, TimeUnit.MINUTES), "the browser script ran over 5 minutes");
        assertEquals(0, browser.exitValue(), Files.readString(log));
        for (String png : List.of("run-report.png", "mlflow-run.png", "mlflow-run-metrics.png")) {
            assertTrue(Files.size(shots.resolve(png)) > 10_000, "screenshot " + png);
        }
    }
}
