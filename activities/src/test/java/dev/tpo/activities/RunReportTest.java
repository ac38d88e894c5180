package dev.tpo.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpo.activities.report.Html;
import dev.tpo.activities.rows.AnswerRow;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.activities.ReportActivity;
import dev.tpo.api.steps.EvalResult;
import dev.tpo.api.steps.IterationArtifacts;
import dev.tpo.api.steps.IterationSummary;
import dev.tpo.api.steps.PairSummary;
import dev.tpo.api.steps.RunReportInput;
import dev.tpo.method.eval.EvalJudgement;
import dev.tpo.method.judge.Verdict;
import dev.tpo.train.PairRow;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** report.html: real charts from the run's numbers and metrics.jsonl, and transcripts with the thought set apart. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RunReportTest {
    @TempDir
    Path tempDir;

    private static EvalResult eval(double score) {
        return new EvalResult(
                6,
                "win_rate",
                score,
                score,
                score - 5,
                null,
                10.0,
                30.0 + score,
                8.0,
                Map.of("plus-times", score - 3, "minus-times", score + 3));
    }

    private ArtifactRef answers(StepTestSupport t, String label, String thoughtPrefix) {
        List<AnswerRow> rows = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            rows.add(new AnswerRow(
                    "e" + i,
                    i % 2 == 0 ? "plus-times" : "minus-times",
                    "Mod 10: " + i + " +1=?",
                    Integer.toString(i + 1),
                    thoughtPrefix + i + " <R> " + (i + 1),
                    thoughtPrefix + " work " + i,
                    Integer.toString(i + 1),
                    false));
        }
        return t.store.putBytes("answers/" + label + ".jsonl", t.services.json().jsonl(rows));
    }

    private ArtifactRef judgements(StepTestSupport t, String label, Verdict verdict) {
        List<EvalJudgement> rows = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            rows.add(new EvalJudgement(
                    "e" + i, "plus-times", verdict, true, false, 1, 1, List.of("judge says " + label + " " + i)));
        }
        return t.store.putBytes(
                "judgements/" + label + ".jsonl", t.services.json().jsonl(rows));
    }

    @Test
    void reportShowsCurvesAcrossIterationsAndStepsAndSideBySideTranscripts() throws Exception {
        StepTestSupport t = new StepTestSupport(tempDir, "report");
        ArtifactRef metrics1 = t.putText(
                "train/1/metrics.jsonl",
                "{\"loss\":0.69,\"rewards/margins\":0.0,"
                        + "\"rewards/accuracies\":0.0,\"step\":1}\n{\"loss\":0.52,\"rewards/margins\":0.3,"
                        + "\"rewards/accuracies\":0.75,\"step\":2}\n{\"loss\":0.41,\"rewards/margins\":0.8,"
                        + "\"rewards/accuracies\":1.0,\"step\":3}\n");
        ArtifactRef metrics2 = t.putText(
                "train/2/metrics.jsonl",
                "{\"loss\":0.5,\"rewards/margins\":0.2,"
                        + "\"rewards/accuracies\":0.5,\"step\":1}\n{\"loss\":0.3,\"rewards/margins\":1.1,"
                        + "\"rewards/accuracies\":1.0,\"step\":2}\n");
        List<PairRow> pairs = List.of(new PairRow(
                "p1",
                new int[] {1},
                new int[] {2},
                new int[] {3},
                "Mod 10: 3 *3=?",
                "Work: 3*3=9. <R> 9",
                "Easy. <R> 0",
                4,
                1,
                1.0,
                0.0,
                false,
                "Work: 3*3=9.",
                "9",
                "Easy.",
                "0",
                null,
                null));
        ArtifactRef pairs1 = t.store.putBytes("pairs/1.jsonl", t.services.json().jsonl(pairs));
        List<IterationSummary> iterations = List.of(
                new IterationSummary(
                        1,
                        "specific",
                        t.putText("m1", "m"),
                        8,
                        64,
                        6,
                        900,
                        new PairSummary(8, 5, 2, 1, 6, 64, 10, 12, 0.5),
                        Map.of("loss", 0.41),
                        0,
                        eval(50),
                        Map.of("generate", 3.0, "train", 5.5, "evaluate", 1.0),
                        Map.of(),
                        new IterationArtifacts(
                                pairs1, metrics1, answers(t, "it1", "First"), judgements(t, "it1", Verdict.WIN)),
                        1L,
                        null),
                new IterationSummary(
                        2,
                        "specific",
                        t.putText("m2", "m"),
                        8,
                        64,
                        2,
                        800,
                        new PairSummary(8, 7, 1, 0, 2, 64, 10, 12, 0.5),
                        Map.of("loss", 0.3),
                        0,
                        eval(70),
                        Map.of("generate", 2.5, "train", 4.0, "evaluate", 1.0),
                        Map.of(),
                        new IterationArtifacts(
                                null, metrics2, answers(t, "it2", "Second"), judgements(t, "it2", Verdict.LOSS)),
                        2L,
                        null));
        RunReportInput input = new RunReportInput(
                t.run,
                "math-v1",
                "specific",
                eval(30),
                new IterationArtifacts(null, null, answers(t, "seed", "Seed"), judgements(t, "seed", Verdict.TIE)),
                answers(t, "baseline", ""),
                iterations);
        TestActivityEnvironment env = StepTestSupport.activityEnvironment(new ReportStep(t.services));
        ArtifactRef json;
        try {
            json = env.newActivityStub(ReportActivity.class, StepTestSupport.ONE_ATTEMPT)
                    .writeRunReport(input);
        } finally {
            env.close();
        }
        String page = Files.readString(Path.of(java.net.URI.create(json.uri())).resolveSibling("report.html"));
        // Kept as test output, for a person (or a browser screenshot) to look at.
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "run-report-sample.html"), page);

        for (String title : List.of(
                "Eval score and LC win rate",
                "Mean thought and response length",
                "Malformed outputs (no response found)",
                "Score per category",
                "Pairs kept and prompts dropped",
                "Step wall times",
                "DPO loss",
                "Reward margin (chosen - rejected)",
                "Reward accuracy")) {
            assertTrue(page.contains("aria-label=\"" + Html.escape(title) + "\""), "chart " + title);
        }
        assertFalse(page.contains("nothing logged"), "every chart has data");
        for (String axis : List.of(
                ">percent<", ">characters<", ">seconds<", ">prompts<", ">optimizer step within the iteration<")) {
            assertTrue(page.contains(axis), "axis title " + axis);
        }
        String loss = chart(page, "DPO loss");
        assertEquals(List.of(3, 2), polylinePointCounts(loss), "one line per iteration, a vertex per logged step");
        assertTrue(loss.contains(">iteration 1<") && loss.contains(">iteration 2<"), "legend");
        assertTrue(loss.contains("<title>iteration 1: 2 = 0.52</title>"), "values as tooltips");
        assertEquals(
                List.of(3, 3, 3),
                polylinePointCounts(chart(page, "Eval score and LC win rate")),
                "seed + 2 iterations of score, win rate and LC win rate");
        assertTrue(chart(page, "Eval score and LC win rate").contains(">seed<"));
        assertEquals(List.of(3, 3), polylinePointCounts(chart(page, "Score per category")));
        assertEquals(
                6,
                Pattern.compile("<rect [^>]*><title>")
                        .matcher(chart(page, "Pairs kept and prompts dropped"))
                        .results()
                        .count(),
                "3 bars x 2 iterations");
        assertTrue(chart(page, "Step wall times").contains("<title>train, 1: 5.5</title>"));

        assertTrue(page.contains("<h3>e1 <small>(minus-times)</small></h3>"));
        assertTrue(page.contains("<h3>e5"));
        assertFalse(page.contains("<h3>e6"), "a fixed handful: the first five eval prompts");
        assertTrue(page.contains("<div class=\"thought\">Seed work 1</div>"), page);
        assertTrue(page.contains("<div class=\"thought\">Second work 1</div>"));
        assertTrue(page.contains("thought \u2014 hidden from the judge"), "the thought box says it");
        assertTrue(page.contains("<span class=\"tie\">tie vs baseline</span>"));
        assertTrue(page.contains("<span class=\"loss\">loss vs baseline</span>"));
        assertTrue(page.contains("judge says it2 1"));
        assertTrue(
                page.contains("<h4 class=\"win\">chosen, score 1</h4>\n<div class=\"thought\">Work: 3*3=9.</div>"
                        + "\n<div class=\"response\">9</div>"),
                "chosen sample, thought apart from response");
        assertTrue(page.contains("<h4 class=\"loss\">rejected, score 0</h4>"));

        assertFalse(Pattern.compile("(src|href)=\"(https?:)?//").matcher(page).find(), "self-contained");
        assertFalse(page.contains("<script"), "no scripts");
    }

    private static String chart(String page, String title) {
        int start = page.indexOf("aria-label=\"" + Html.escape(title) + "\"");
        assertTrue(start >= 0, "no chart " + title);
        return page.substring(start, page.indexOf("</svg>", start));
    }

    private static List<Integer> polylinePointCounts(String svg) {
        List<Integer> counts = new ArrayList<>();
        Matcher m = Pattern.compile("<polyline [^>]*points=\"([^\"]*)\"").matcher(svg);
        while (m.find()) {
            counts.add(m.group(1).split(" ").length);
        }
        return counts;
    }
}
