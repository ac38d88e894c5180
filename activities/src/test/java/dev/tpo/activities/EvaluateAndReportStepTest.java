package dev.tpo.activities;

import static dev.tpo.api.JsonKeys.camelCaseKeys;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.activities.heartbeat.ItemProgress;
import dev.tpo.activities.judging.EvalJudging;
import dev.tpo.activities.rows.AnswerRow;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.activities.AnswerActivity;
import dev.tpo.api.activities.EvaluateActivity;
import dev.tpo.api.activities.ReportActivity;
import dev.tpo.api.spec.ComputeSettings;
import dev.tpo.api.spec.EvalSettings;
import dev.tpo.api.spec.JudgeSettings;
import dev.tpo.api.spec.ThoughtMode;
import dev.tpo.api.spec.ThoughtSettings;
import dev.tpo.api.steps.AnswerInput;
import dev.tpo.api.steps.AnswerOutput;
import dev.tpo.api.steps.EvalOutput;
import dev.tpo.api.steps.EvalResult;
import dev.tpo.api.steps.EvaluateInput;
import dev.tpo.api.steps.IterationSummary;
import dev.tpo.api.steps.PairSummary;
import dev.tpo.api.steps.ReportInput;
import dev.tpo.api.steps.RunReportInput;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class EvaluateAndReportStepTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EvalSettings NO_BASELINE = new EvalSettings("none", 0, 0.0, 5, false);

    @TempDir
    Path tempDir;

    @Test
    void modelAnswersEvalPromptsGreedily() {
        StepTestSupport t = new StepTestSupport(tempDir, "answer");
        ArtifactRef model = t.tinyModel("models/seed", 4);
        ArtifactRef prompts = t.putText(
                "inputs/eval.jsonl",
                "{\"id\":\"e1\",\"prompt\":\"Hi\"}\n"
                        + "{\"id\":\"e2\",\"prompt\":\"Name a colour\"}\n{\"id\":\"e3\",\"prompt\":\"unused\"}\n");
        TestActivityEnvironment env = StepTestSupport.activityEnvironment(new AnswerStep(t.services));
        try {
            AnswerActivity answer = env.newActivityStub(AnswerActivity.class, StepTestSupport.ONE_ATTEMPT);
            AnswerInput in = new AnswerInput(
                    t.run,
                    0,
                    "baseline",
                    model,
                    prompts,
                    new ThoughtSettings(ThoughtMode.NONE, null, null),
                    new EvalSettings("seed", 2, 0.0, 5, true),
                    0L,
                    ComputeSettings.defaults());
            AnswerOutput out = answer.answer(in);
            assertEquals(2, out.prompts(), "max_prompts keeps the first two");
            List<AnswerRow> rows = t.services.json().readJsonl(StepTestSupport.bytes(out.answers()), AnswerRow.class);
            assertEquals(
                    List.of("e1", "e2"), rows.stream().map(AnswerRow::promptId).toList());
            AnswerOutput again = answer.answer(in);
            assertTrue(again.reused());
            assertEquals(out.answers(), again.answers());
        } finally {
            env.close();
        }
    }

    @Test
    void verifierEvaluationGivesAccuracyAndTheRunReportShowsIt() throws Exception {
        StepTestSupport t = new StepTestSupport(tempDir, "evaluate");
        List<AnswerRow> answers = List.of(
                new AnswerRow("a", "math", "1+1?", "2", "t <R> 2", "t", "2", false),
                new AnswerRow("b", "math", "2+2?", "4", "t <R> 5", "t", "5", false),
                new AnswerRow("c", "geo", "capital of France?", "Paris", "t <R> Paris", "t", "Paris", false),
                new AnswerRow("d", "geo", "capital of Spain?", "Madrid", "t only", "t only", "", true));
        ArtifactRef policy =
                t.store.putBytes("answers/policy.jsonl", t.services.json().jsonl(answers));
        TestActivityEnvironment env =
                StepTestSupport.activityEnvironment(new EvaluateStep(t.services), new ReportStep(t.services));
        try {
            EvalOutput out = env.newActivityStub(EvaluateActivity.class, StepTestSupport.ONE_ATTEMPT)
                    .evaluate(new EvaluateInput(
                            t.run,
                            1,
                            policy,
                            null,
                            NO_BASELINE,
                            JudgeSettings.defaults(),
                            null,
                            ComputeSettings.defaults()));
            EvalResult result = out.result();
            assertEquals("accuracy", result.scoreKind());
            assertEquals(50.0, result.accuracy(), 1e-9);
            assertEquals(50.0, result.score(), 1e-9);
            assertEquals(25.0, result.malformedRate(), 1e-9);
            assertNull(result.winRate());
            Path summaryDir = Path.of(java.net.URI.create(out.summary().uri())).getParent();
            assertTrue(Files.isRegularFile(summaryDir.resolve("alpaca-eval.json")));
            assertTrue(Files.isRegularFile(summaryDir.resolve("arena-hard.jsonl")));

            ReportActivity report = env.newActivityStub(ReportActivity.class, StepTestSupport.ONE_ATTEMPT);
            EvalResult seed = new EvalResult(4, "accuracy", 25.0, null, null, 25.0, 0.0, 10.0, 3.0, Map.of());
            IterationSummary iteration = new IterationSummary(
                    1,
                    "specific",
                    policy,
                    4,
                    8,
                    1,
                    96,
                    new PairSummary(4, 3, 1, 0, 1, 8, 12.5, 20.0, 0.5),
                    Map.of("train_loss", 0.61),
                    2,
                    result,
                    Map.of("generate", 1.0),
                    Map.of("generate", 0.5),
                    null,
                    0L,
                    null);
            ArtifactRef iterationReport = report.writeIterationReport(new ReportInput(t.run, iteration));
            String iterationJson = new String(StepTestSupport.bytes(iterationReport), StandardCharsets.UTF_8);
            assertTrue(iterationJson.contains("\"train_metrics\""), iterationJson);
            assertEquals(List.of(), camelCaseKeys(JSON.readTree(iterationJson), "$"), iterationJson);
            assertTrue(iterationReport.uri().endsWith("runs/run-1/iter-1/report.json"));

            ArtifactRef runReport = report.writeRunReport(new RunReportInput(
                    t.run, "demo", "specific", seed, null, null, List.of(iteration.withReport(iterationReport))));
            Path html = Path.of(java.net.URI.create(runReport.uri())).resolveSibling("report.html");
            String page = Files.readString(html);
            assertTrue(page.contains("<svg"), "has the chart");
            assertTrue(page.contains("50.00") && page.contains("25.00"), "shows seed and iteration scores");
            assertFalse(page.contains("http://") && page.contains("src="), "no external assets");
            String json = new String(StepTestSupport.bytes(runReport), StandardCharsets.UTF_8);
            assertTrue(json.contains("\"seed_eval\""), json);
            JsonNode runJson = JSON.readTree(json);
            assertEquals(List.of(), camelCaseKeys(runJson, "$"), json);
            assertEquals("run-1", runJson.path("run_id").asText(), json);
            assertEquals(
                    3,
                    runJson.path("iterations")
                            .path(0)
                            .path("pairs")
                            .path("pairs")
                            .asInt(),
                    json);
        } finally {
            env.close();
        }
    }

    @Test
    void evaluationJudgingHeartbeatsHowManyPromptsAreJudged() {
        StepTestSupport t = new StepTestSupport(tempDir, "evaluate-progress");
        int n = 150;
        List<AnswerRow> policy = new ArrayList<>();
        List<AnswerRow> baseline = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String answer = String.valueOf(i % 7);
            policy.add(new AnswerRow(
                    "p" + i, "math", "what is " + i + " mod 7?", answer, "t <R> " + answer, "t", answer, false));
            baseline.add(new AnswerRow("p" + i, "math", "what is " + i + " mod 7?", answer, "9", "", "9", false));
        }
        ArtifactRef policyRef =
                t.store.putBytes("answers/policy.jsonl", t.services.json().jsonl(policy));
        ArtifactRef baselineRef =
                t.store.putBytes("answers/baseline.jsonl", t.services.json().jsonl(baseline));
        TestActivityEnvironment env = StepTestSupport.activityEnvironment(new EvaluateStep(t.services));
        List<ItemProgress> beats = new java.util.concurrent.CopyOnWriteArrayList<>();
        env.setActivityHeartbeatListener(ItemProgress.class, beats::add);
        EvalOutput out;
        try {
            out = env.newActivityStub(
                            EvaluateActivity.class,
                            io.temporal.activity.ActivityOptions.newBuilder(StepTestSupport.ONE_ATTEMPT)
                                    .setHeartbeatTimeout(java.time.Duration.ofSeconds(2))
                                    .build())
                    .evaluate(new EvaluateInput(
                            t.run,
                            1,
                            policyRef,
                            baselineRef,
                            new EvalSettings("seed", 0, 0.0, 5, false),
                            JudgeSettings.defaults(),
                            null,
                            ComputeSettings.defaults()));
        } finally {
            env.close();
        }
        assertEquals(100.0, out.result().accuracy(), 1e-9);
        assertFalse(beats.isEmpty(), "judging heartbeats");
        int done = 0;
        for (ItemProgress beat : beats) {
            assertEquals(EvalJudging.JUDGED, beat.items(), beats.toString());
            assertTrue(beat.done() >= done && beat.done() <= beat.total() || beat.total() == 0, beats.toString());
            done = beat.done();
        }
        assertTrue(beats.stream().anyMatch(b -> b.total() == n), "progress names the total: " + beats);
    }
}
