package dev.tpo.method.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class PointwiseLlmJudgeTest {
    @Test
    void ratingsAreParsedForgivingly() {
        assertEquals(OptionalDouble.of(7), PointwisePrompt.parse("Good answer. Rating: [[7]]"));
        assertEquals(OptionalDouble.of(8.5), PointwisePrompt.parse("e.g. \"Rating: [[5]]\" ... Rating: [[8.5]]"));
        assertEquals(OptionalDouble.of(6), PointwisePrompt.parse("[[6/10]]"));
        assertEquals(OptionalDouble.of(4), PointwisePrompt.parse("Overall score: **4**"));
        assertEquals(OptionalDouble.of(9), PointwisePrompt.parse("I would give this 9/10."));
        assertEquals(OptionalDouble.of(3), PointwisePrompt.parse(" 3 "));
        assertEquals(OptionalDouble.empty(), PointwisePrompt.parse("Rating: [[11]]"));
        assertEquals(OptionalDouble.empty(), PointwisePrompt.parse("It has 2 errors in 3 places."));
        assertEquals(OptionalDouble.empty(), PointwisePrompt.parse(""));
    }

    @Test
    void scoresEachWellFormedResponseUnderTheRubric() {
        ScriptedBackend backend = new ScriptedBackend(chat -> {
            String answer = ScriptedBackend.answer(chat);
            return answer.equals("garbage") ? "no idea" : "Fine. Rating: [[" + ScriptedBackend.quality(answer) + "]]";
        });
        List<JudgeScores> scores;
        try (PointwiseLlmJudge judge = new PointwiseLlmJudge(backend, "Judge only the correctness.")) {
            scores = judge.score(List.of(
                    new JudgeTask("a", "q1", null, Arrays.asList("quality 3", null, "quality 8")),
                    new JudgeTask("b", "q2", "42", List.of("garbage", "quality 10"))));
        }
        assertTrue(backend.closed);
        assertEquals(4, backend.received.size());
        double[] a = scores.get(0).scores();
        assertEquals(3, a[0]);
        assertTrue(Double.isNaN(a[1]));
        assertEquals(8, a[2]);
        double[] b = scores.get(1).scores();
        assertTrue(Double.isNaN(b[0]), "unparseable rating gives no score");
        assertEquals(10, b[1]);
        assertTrue(scores.get(1).details().get(0).contains("UNPARSEABLE: no idea"));
        String system = backend.received.get(0).get(0).content();
        assertTrue(system.startsWith("Judge only the correctness.") && system.contains("Rating: [[5]]"), system);
        assertTrue(backend.received.get(2).get(1).content().contains("[The Start of Reference Answer]\n42"));
    }

    @Test
    void scoreVerdictsTieWhenARatingIsMissing() {
        ScriptedBackend backend = new ScriptedBackend(chat -> {
            String answer = ScriptedBackend.answer(chat);
            return answer.contains("quality") ? "[[" + ScriptedBackend.quality(answer) + "]]" : "??";
        });
        try (PointwiseLlmJudge judge = new PointwiseLlmJudge(backend, PointwisePrompt.DEFAULT_RUBRIC)) {
            List<Outcome> outcomes = PairwiseVerdicts.of(judge)
                    .compare(List.of(
                            new ComparisonTask("w", "q", null, "quality 6", "quality 2"),
                            new ComparisonTask("l", "q", null, "quality 1", "quality 2"),
                            new ComparisonTask("t", "q", null, "quality 6", "nothing")));
            assertEquals(
                    List.of(Verdict.WIN, Verdict.LOSS, Verdict.TIE),
                    outcomes.stream().map(Outcome::verdict).toList());
        }
    }

    @Test
    void emptyRubricIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new PointwiseLlmJudge(new ScriptedBackend(c -> ""), " "));
    }
}
