package dev.tpo.method.judge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpo.model.tokenizer.ChatMessage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PairwiseLlmJudgeTest {
    /** Explains, then names the better answer by hidden quality; equal quality is a tie. */
    private static String fairVerdict(List<ChatMessage> chat) {
        int a = ScriptedBackend.quality(ScriptedBackend.answerA(chat));
        int b = ScriptedBackend.quality(ScriptedBackend.answerB(chat));
        String verdict = a > b ? "[[A]]" : a < b ? "[[B]]" : "[[C]]";
        return "I must answer with \"[[A]]\" or \"[[B]]\". Comparing both... Final verdict: " + verdict;
    }

    @Test
    void everyPairIsJudgedInBothOrdersAndScoresFollowQuality() {
        ScriptedBackend backend = new ScriptedBackend(PairwiseLlmJudgeTest::fairVerdict);
        JudgeTask task = new JudgeTask(
                "p1", "Explain tides.", null, List.of("quality 2", "quality 9", "quality 5", "quality 5"));
        List<JudgeScores> scores;
        try (PairwiseLlmJudge judge = new PairwiseLlmJudge(backend)) {
            scores = judge.score(List.of(task));
        }
        assertTrue(backend.closed);
        assertEquals(1, backend.calls);
        assertEquals(4 * 3, backend.received.size());
        double[] s = scores.get(0).scores();
        assertTrue(s[1] > s[2] && s[2] > s[0], Arrays.toString(s));
        assertEquals(s[2], s[3], 1e-9);
        assertEquals(12, scores.get(0).details().size());
        assertTrue(
                scores.get(0).details().get(0).startsWith("A=0 B=1 B_BETTER: "),
                scores.get(0).details().get(0));
        // the prompt reaches the judge as written, with the system instruction of the pairwise format
        ChatMessage system = backend.received.get(0).get(0);
        assertEquals("system", system.role());
        assertTrue(system.content().contains("\"[[C]]\" for a tie"));
        assertTrue(backend.received.get(0).get(1).content().startsWith("[User Question]\nExplain tides.\n\n"));
    }

    @Test
    void positionBiasCancelsOutToATie() {
        ScriptedBackend alwaysA = new ScriptedBackend(chat -> "Assistant A is clearly better. [[A]]");
        try (PairwiseLlmJudge judge = new PairwiseLlmJudge(alwaysA)) {
            JudgeScores s = judge.score(List.of(new JudgeTask("p", "q", null, List.of("x", "y", "z"))))
                    .get(0);
            assertArrayEquals(new double[3], s.scores(), 1e-12);
            Outcome o = judge.compare(List.of(new ComparisonTask("p", "q", null, "x", "y")))
                    .get(0);
            assertEquals(Verdict.TIE, o.verdict());
            assertEquals(2, o.details().size());
        }
    }

    @Test
    void unparseableVerdictsAreTies() {
        ScriptedBackend garbage = new ScriptedBackend(chat -> "I cannot decide. [[D]] A] [B]");
        try (PairwiseLlmJudge judge = new PairwiseLlmJudge(garbage)) {
            JudgeScores s = judge.score(List.of(new JudgeTask("p", "q", null, List.of("x", "y"))))
                    .get(0);
            assertArrayEquals(new double[2], s.scores(), 0);
            assertTrue(s.details().get(0).contains("UNPARSEABLE"));
            assertEquals(
                    Verdict.TIE,
                    judge.compare(List.of(new ComparisonTask("p", "q", null, "x", "y")))
                            .get(0)
                            .verdict());
        }
    }

    @Test
    void malformedResponsesAreNeverShownAndScoreNaN() {
        ScriptedBackend backend = new ScriptedBackend(PairwiseLlmJudgeTest::fairVerdict);
        JudgeTask task = new JudgeTask("p", "q", null, Arrays.asList("quality 1", null, "quality 3"));
        try (PairwiseLlmJudge judge = new PairwiseLlmJudge(backend)) {
            double[] s = judge.score(List.of(task)).get(0).scores();
            assertTrue(Double.isNaN(s[1]));
            assertTrue(s[2] > s[0]);
        }
        assertEquals(2, backend.received.size());
        for (List<ChatMessage> chat : backend.received) {
            assertFalse(chat.get(1).content().contains("null"));
        }
    }

    @Test
    void comparisonsUseBothOrdersFromThePolicysSide() {
        ScriptedBackend backend = new ScriptedBackend(PairwiseLlmJudgeTest::fairVerdict);
        try (PairwiseLlmJudge judge = new PairwiseLlmJudge(backend)) {
            List<Outcome> outcomes = judge.compare(List.of(
                    new ComparisonTask("win", "q", "ref", "quality 7", "quality 3"),
                    new ComparisonTask("loss", "q", null, "quality 1", "quality 3"),
                    new ComparisonTask("tie", "q", null, "quality 3", "quality 3")));
            assertEquals(
                    List.of(Verdict.WIN, Verdict.LOSS, Verdict.TIE),
                    outcomes.stream().map(Outcome::verdict).toList());
            assertTrue(outcomes.get(0).details().get(0).startsWith("policy as A: "));
        }
        assertEquals(6, backend.received.size());
        assertTrue(backend.received.get(0).get(1).content().contains("[The Start of Reference Answer]\nref\n"));
        assertEquals("quality 3", ScriptedBackend.answerA(backend.received.get(1)));
    }

    @Test
    void verdictParserTakesTheLastBracketedVerdict() {
        assertEquals(PairwisePrompt.Judgement.B_BETTER, PairwisePrompt.parse("format: [[A]] ... so: [[ B ]]"));
        assertEquals(PairwisePrompt.Judgement.TIE, PairwisePrompt.parse("[[C]]"));
        assertEquals(PairwisePrompt.Judgement.UNPARSEABLE, PairwisePrompt.parse(""));
        assertEquals(PairwisePrompt.Judgement.UNPARSEABLE, PairwisePrompt.parse("A is better"));
    }
}
