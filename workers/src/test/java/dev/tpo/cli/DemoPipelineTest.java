package dev.tpo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shortened demo (smoke preset: a tiny seed, one iteration of a few prompts) through the real pipeline on the
 * embedded stack: every step leaves its artifacts, DPO raises the chosen-vs-rejected margin, the report is whole.
 * It checks the plumbing, not the learning; the full demo's numbers are in the README.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class DemoPipelineTest {
    private static final List<String> STEPS = List.of(
            "prepare", "select", "generate", "judge", "pair", "reference", "train", "answer", "evaluate", "report");

    @TempDir
    Path dir;

    @Test
    void shortenedDemoProducesEveryArtifactAndAReport() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path json = dir.resolve("demo.json");
        int code = TpoCommand.execute(
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                "demo",
                "--preset",
                "smoke",
                "--output",
                dir.resolve("out").toString(),
                "--cache",
                dir.resolve("cache").toString(),
                "--json",
                json.toString());
        assertEquals(0, code, out + "\n" + err);

        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertTrue(report.path("seed").path("eval_score").isNumber(), report.toString());
        assertTrue(report.path("seed").path("eval_score_direct").isNumber(), report.toString());
        assertTrue(report.path("wall_seconds").asDouble() > 0);
        JsonNode orchestration = report.path("tpo_orchestration");
        assertTrue(orchestration.path("activity_busy_seconds").asDouble() > 0, report.toString());
        assertTrue(
                orchestration.path("activity_busy_seconds").asDouble()
                        <= orchestration.path("run_wall_seconds").asDouble(),
                report.toString());
        for (String arm : List.of("tpo", "drb")) {
            JsonNode first = report.path(arm).path(0);
            assertEquals(1, first.path("iteration").asInt(), arm + ": " + report);
            for (String field : List.of("eval_score", "mean_thought_chars", "malformed_rate", "step_seconds")) {
                assertTrue(first.has(field), arm + " lacks " + field + ": " + first);
            }
        }
        JsonNode tpo = report.path("tpo").path(0);
        assertTrue(tpo.path("pairs").asInt() > 0, "TPO made pairs: " + tpo);
        assertTrue(tpo.path("reward_margin").asDouble() > 0, "DPO raised the chosen-vs-rejected margin: " + tpo);
        String html = Files.readString(dir.resolve("out/demo-report.html"));
        assertTrue(html.contains("<svg") && html.contains("polyline"), "the report has its chart");
        assertTrue(out.toString().contains("eval %"), "the table was printed: " + out);

        Path runs = dir.resolve("out/s3-data/s3/tpo-artifacts/runs");
        String runId = report.path("tpo_run_id").asText();
        Path run = runs.resolve(runId);
        try (Stream<Path> manifest = Files.list(run.resolve("manifest"))) {
            Set<String> steps = manifest.map(p -> p.getFileName().toString().split("-")[0])
                    .collect(Collectors.toCollection(TreeSet::new));
            assertTrue(steps.containsAll(STEPS), "manifest records every step: " + steps);
        }
        for (String file : List.of("report.json", "report.html", "iter-1/report.json")) {
            assertTrue(Files.isRegularFile(run.resolve(file)), file);
        }
        for (String pattern : List.of(
                "glob:**/iter-1/generate/*/generations-000.jsonl",
                "glob:**/iter-1/judge/*/judgements-000.jsonl",
                "glob:**/iter-1/pair/*/pairs.jsonl",
                "glob:**/iter-1/reference/*/training-pairs.jsonl",
                "glob:**/iter-1/train/*/model/model.safetensors",
                "glob:**/iter-1/train/*/metrics.jsonl",
                "glob:**/iter-1/evaluate/*/eval-summary.json",
                "glob:**/iter-1/evaluate/*/alpaca-eval.json",
                "glob:**/iter-1/evaluate/*/arena-hard.jsonl")) {
            var matcher = run.getFileSystem().getPathMatcher(pattern);
            try (Stream<Path> files = Files.walk(run)) {
                assertTrue(files.anyMatch(matcher::matches), "no " + pattern + " under " + run);
            }
        }
    }
}
