package dev.tpo.method.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.api.spec.VerifierMode;
import dev.tpo.method.judge.ComparisonTask;
import dev.tpo.method.judge.Judge;
import dev.tpo.method.judge.JudgeException;
import dev.tpo.method.judge.JudgeScores;
import dev.tpo.method.judge.JudgeTask;
import dev.tpo.method.judge.Outcome;
import dev.tpo.method.judge.PairwiseVerdicts;
import dev.tpo.method.judge.Verdict;
import dev.tpo.method.judge.VerifierJudge;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EvaluationTest {
    /** Test double: the longer response wins; records what it was asked to compare. */
    private static final class LongerWins implements PairwiseVerdicts {
        final List<ComparisonTask> seen = new ArrayList<>();

        @Override
        public List<Outcome> compare(List<ComparisonTask> comparisons) {
            seen.addAll(comparisons);
            List<Outcome> out = new ArrayList<>();
            for (ComparisonTask c : comparisons) {
                int d = c.responseA().length() - c.responseB().length();
                out.add(new Outcome(
                        c.promptId(),
                        d > 0 ? Verdict.WIN : d < 0 ? Verdict.LOSS : Verdict.TIE,
                        List.of("lengths " + c.responseA().length() + " vs "
                                + c.responseB().length())));
            }
            return out;
        }
    }

    /** Test double: a scoring judge that rates a response by its length. */
    private static final class LengthScore implements Judge {
        @Override
        public List<JudgeScores> score(List<JudgeTask> tasks) {
            List<JudgeScores> out = new ArrayList<>();
            for (JudgeTask t : tasks) {
                double[] s = t.responses().stream().mapToDouble(String::length).toArray();
                out.add(new JudgeScores(t.promptId(), s, List.of()));
            }
            return out;
        }

        @Override
        public void close() {}
    }

    private static EvalItem item(
            String id, String category, String thought, String response, boolean malformed, String baseline) {
        return new EvalItem(id, category, "prompt " + id, null, thought, response, malformed, baseline);
    }

    private static EvalItem referenced(
            String id, String reference, String response, boolean malformed, String baseline) {
        return new EvalItem(id, "math", "what is it?", reference, "", response, malformed, baseline);
    }

    @Test
    void malformedOutputsLoseWithoutBeingShownToTheJudge() throws Exception {
        List<EvalItem> items = List.of(
                item("w", "writing", "think", "a long answer", false, "short"),
                item("l", "writing", "hmm", "tiny", false, "a longer baseline"),
                item("t", null, "", "same", false, "same"),
                item("m", "coding", "never finished thinking", "", true, "baseline answer"),
                item("b", "coding", "ok", "policy answer", false, " "),
                item("n", "coding", "x", "", true, ""));
        LongerWins judge = new LongerWins();
        JudgedEvaluation result = new Evaluation(judge, ScoreKind.WIN_RATE, Optional.empty()).judge(items);
        assertEquals(
                List.of("w", "l", "t"),
                judge.seen.stream().map(ComparisonTask::promptId).toList());
        assertEquals(
                List.of(Verdict.WIN, Verdict.LOSS, Verdict.TIE, Verdict.LOSS, Verdict.WIN, Verdict.TIE),
                result.judgements().stream().map(EvalJudgement::verdict).toList());
        assertTrue(result.judgements().get(3).details().get(0).contains("malformed"));
        String line = new ObjectMapper().writeValueAsString(result.judgements().get(3));
        assertTrue(
                line.contains("\"verdict\":\"loss\"")
                        && line.contains("\"prompt_id\":\"m\"")
                        && !line.contains("policy_correct"),
                line);

        EvalSummary s = result.summary();
        assertEquals(6, s.n());
        assertEquals(ScoreKind.WIN_RATE, s.scoreKind());
        assertEquals(2, s.wins());
        assertEquals(2, s.ties());
        assertEquals(2, s.losses());
        assertEquals(100.0 * (2 + 0.5 * 2) / 6, s.winRate(), 1e-12);
        assertEquals(s.winRate(), s.score(), 0);
        assertEquals(100.0 * 2 / 6, s.malformedRate(), 1e-12);
        assertEquals((5 + 3 + 0 + 23 + 2 + 1) / 6.0, s.meanThoughtChars(), 1e-12);
        assertEquals((13 + 4 + 4 + 0 + 13 + 0) / 6.0, s.meanResponseChars(), 1e-12);
        assertNull(s.policyAccuracy());
        assertEquals(0, s.referenced());

        assertEquals(
                List.of("coding", "uncategorized", "writing"),
                List.copyOf(s.perCategory().keySet()));
        CategoryResult coding = s.perCategory().get("coding");
        assertEquals(3, coding.n());
        assertEquals(1, coding.wins());
        assertEquals(1, coding.ties());
        assertEquals(1, coding.losses());
        assertEquals(50.0, coding.winRate(), 1e-12);
        assertEquals(50.0, s.perCategory().get("writing").winRate(), 1e-12);
        assertEquals(50.0, s.perCategory().get(Evaluation.NO_CATEGORY).winRate(), 1e-12);
    }

    @Test
    void withEveryOutputMalformedTheLcWinRateIsUndefinedNotInvented() throws Exception {
        List<EvalItem> items = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            // two items where the baseline is blank too: ties, which a fit would put at zero length difference
            items.add(item("p" + i, "math", "Work: 7 +5=", "", true, i < 2 ? "" : i % 3 == 0 ? "12" : "7"));
        }
        LongerWins judge = new LongerWins();
        EvalSummary s = new Evaluation(judge, ScoreKind.WIN_RATE, Optional.empty()).run(items);
        assertTrue(judge.seen.isEmpty(), "nothing was judged");
        assertEquals(0, s.wins());
        assertEquals(100.0 * 1 / 16, s.winRate(), 1e-12, "the two double forfeits tie");
        assertNull(s.lcWinRate());
        String json = new ObjectMapper().writeValueAsString(s);
        assertTrue(json.contains("\"lc_win_rate\":null"), "written as undefined, not left out: " + json);
    }

    @Test
    void lcWinRateOfALosingPolicyWithSomeResponsesIsZero() {
        List<EvalItem> items = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            items.add(
                    i < 8
                            ? item("m" + i, null, "thinking", "", true, "seven")
                            : item("r" + i, null, "", "7", false, "seven"));
        }
        EvalSummary s = new Evaluation(new LongerWins(), ScoreKind.WIN_RATE, Optional.empty()).run(items);
        assertEquals(0.0, s.winRate());
        assertEquals(0.0, s.lcWinRate());
    }

    @Test
    void scoringJudgesCompareScores() {
        EvalSummary s = Evaluation.withJudge(new LengthScore())
                .run(List.of(
                        item("a", null, "", "longer one", false, "short"),
                        item("b", null, "", "x", false, "yy"),
                        item("c", null, "", "zz", false, "yy")));
        assertEquals(ScoreKind.WIN_RATE, s.scoreKind());
        assertEquals(1, s.wins());
        assertEquals(1, s.losses());
        assertEquals(1, s.ties());
    }

    @Test
    void judgingInCallsReportsProgressAndGivesTheSameVerdicts() {
        List<EvalItem> items = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            items.add(item("p" + i, null, "", "r".repeat(i % 3 + 1), false, "rr"));
        }
        // one without a response is decided without the judge and is not counted
        items.add(item("m", null, "", "", true, "rr"));
        LongerWins judge = new LongerWins();
        List<int[]> progress = new ArrayList<>();
        JudgedEvaluation inCalls = new Evaluation(judge, ScoreKind.WIN_RATE, Optional.empty())
                .judge(items, 3, (done, total) -> progress.add(new int[] {done, total}));
        assertEquals(
                List.of("0/7", "3/7", "6/7", "7/7"),
                progress.stream().map(p -> p[0] + "/" + p[1]).toList());
        assertEquals(7, judge.seen.size());
        JudgedEvaluation oneCall = new Evaluation(new LongerWins(), ScoreKind.WIN_RATE, Optional.empty()).judge(items);
        assertEquals(oneCall, inCalls);
    }

    @Test
    void verifierSetsReportAccuracyOfBothSides() {
        List<EvalItem> items = List.of(
                referenced("1", "4", "It is 4.", false, "It is 5."),
                referenced("2", "10", "10", false, "ten is 10"),
                referenced("3", "7", "", true, "7"),
                referenced("4", "3", "2", false, "3"));
        JudgedEvaluation result =
                Evaluation.withJudge(new VerifierJudge(VerifierMode.NUMERIC)).judge(items);
        EvalSummary s = result.summary();
        assertEquals(ScoreKind.ACCURACY, s.scoreKind());
        assertEquals(4, s.referenced());
        assertEquals(50.0, s.policyAccuracy(), 1e-12);
        assertEquals(75.0, s.baselineAccuracy(), 1e-12);
        assertEquals(50.0, s.score(), 1e-12);
        CategoryResult all = s.perCategory().values().iterator().next();
        assertEquals(50.0, all.accuracy(), 1e-12, "per category, the policy's accuracy too");
        // both right ties; the malformed policy output loses and is never correct
        assertEquals(
                List.of(Verdict.WIN, Verdict.TIE, Verdict.LOSS, Verdict.LOSS),
                result.judgements().stream().map(EvalJudgement::verdict).toList());
        assertEquals(Boolean.FALSE, result.judgements().get(2).policyCorrect());
        assertEquals(Boolean.TRUE, result.judgements().get(2).baselineCorrect());

        JudgeException e = assertThrows(
                JudgeException.class,
                () -> Evaluation.withJudge(new VerifierJudge(VerifierMode.NUMERIC))
                        .run(List.of(item("free", null, "", "x", false, "y"))));
        assertTrue(e.getMessage().contains("'free'") && e.getMessage().contains("no reference"), e.getMessage());
    }

    @Test
    void winRateEvaluationsCanAlsoCheckReferences() {
        List<EvalItem> items = List.of(
                referenced("1", "4", "The answer: 4", false, "4"), item("2", "chat", "", "hello there", false, "hi"));
        JudgedEvaluation result = Evaluation.withJudge(new LengthScore(), new VerifierJudge(VerifierMode.NUMERIC))
                .judge(items);
        EvalSummary s = result.summary();
        assertEquals(ScoreKind.WIN_RATE, s.scoreKind());
        assertEquals(100.0, s.winRate(), 1e-12);
        assertEquals(1, s.referenced());
        assertEquals(100.0, s.policyAccuracy(), 1e-12);
        assertEquals(100.0, s.baselineAccuracy(), 1e-12);
        assertNull(result.judgements().get(1).policyCorrect());
    }

    @Test
    void badInputIsRefused() {
        Evaluation evaluation = new Evaluation(new LongerWins(), ScoreKind.WIN_RATE, Optional.empty());
        assertThrows(IllegalArgumentException.class, () -> evaluation.run(List.of()));
        String message = assertThrows(
                        IllegalArgumentException.class,
                        () -> evaluation.run(
                                List.of(item("d", null, "", "a", false, "b"), item("d", null, "", "a", false, "b"))))
                .getMessage();
        assertTrue(message.contains("'d'"), message);
        assertThrows(
                IllegalArgumentException.class,
                () -> new Evaluation(new LongerWins(), ScoreKind.ACCURACY, Optional.empty()));
        assertFalse(item("x", null, "", "", false, "b").policyJudged());
    }
}
