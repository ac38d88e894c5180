package dev.tpo.method.judge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpo.api.spec.VerifierMode;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class VerifierJudgeTest {
    private static boolean correct(VerifierJudge judge, String reference, String response) {
        return judge.check("p", reference, response).correct();
    }

    @Test
    void exactComparesTheTrimmedAnswer() {
        VerifierJudge exact = new VerifierJudge(VerifierMode.EXACT);
        assertTrue(correct(exact, "Paris", "  Paris\n"));
        assertFalse(correct(exact, "Paris", "paris"));
        assertTrue(correct(exact, "x = 2", "We solve it. \\boxed{x = 2}"));
        assertTrue(correct(exact, "17", "so the result is\n#### 17"));
    }

    @Test
    void normalisedIgnoresCasePunctuationArticlesAndSpacing() {
        VerifierJudge normalised = new VerifierJudge(VerifierMode.NORMALISED);
        assertTrue(correct(normalised, "The Eiffel Tower", "eiffel   tower!"));
        assertTrue(correct(normalised, "ﬁne", "FINE."));
        assertFalse(correct(normalised, "Eiffel Tower", "The Eiffel Tower is in Paris"));
        VerifierJudge withPattern =
                new VerifierJudge(VerifierMode.NORMALISED, Pattern.compile("(?i)final answer:\\s*(.+)"));
        assertTrue(correct(withPattern, "Eiffel Tower", "Let me think.\nFinal answer: the Eiffel tower."));
        assertFalse(correct(withPattern, "Eiffel Tower", "The Eiffel Tower, I believe."));
    }

    @Test
    void numericReadsTheLastNumberWithTolerance() {
        VerifierJudge numeric = new VerifierJudge(VerifierMode.NUMERIC);
        assertTrue(correct(numeric, "#### 1234", "Adding up: 1,000 + 234 = 1,234"));
        assertTrue(correct(numeric, "0.5", "It is .5000000001"));
        assertTrue(correct(numeric, "-3", "The answer is \\boxed{-3}. Then 7 more steps follow."));
        assertFalse(correct(numeric, "42", "I get 41."));
        assertFalse(correct(numeric, "42", "no idea"));
        assertEquals(
                "no number in the answer", numeric.check("p", "42", "no idea").note());
        JudgeException e = assertThrows(JudgeException.class, () -> numeric.check("p7", "forty-two", "42"));
        assertTrue(e.getMessage().contains("'p7'") && !e.isTransient(), e.getMessage());
    }

    @Test
    void regexFindsTheReferencePatternInTheResponse() {
        VerifierJudge regex = new VerifierJudge(VerifierMode.REGEX);
        assertTrue(correct(regex, "\\b(?:4|four)\\b", "Two plus two is four."));
        assertFalse(correct(regex, "^4$", "It is 4."));
        JudgeException e = assertThrows(JudgeException.class, () -> regex.check("p9", "([a-z", "x"));
        assertTrue(e.getMessage().contains("'p9'") && e.getMessage().contains("regular expression"));
        assertThrows(IllegalArgumentException.class, () -> new VerifierJudge(VerifierMode.REGEX, Pattern.compile("x")));
    }

    @Test
    void scoresOneOrZeroAndNaNForMalformed() {
        try (VerifierJudge judge = new VerifierJudge(VerifierMode.NUMERIC)) {
            JudgeScores s = judge.score(
                            List.of(new JudgeTask("p", "q", "12", Arrays.asList("it is 12", "it is 13", null))))
                    .get(0);
            assertArrayEquals(new double[] {1, 0, Double.NaN}, s.scores(), 0);
            assertEquals(2, s.details().size());
            JudgeException e = assertThrows(
                    JudgeException.class, () -> judge.score(List.of(new JudgeTask("noref", "q", null, List.of("1")))));
            assertTrue(e.getMessage().contains("'noref'") && e.getMessage().contains("no reference"));
        }
    }

    @Test
    void modesHaveWireNames() {
        assertEquals(VerifierMode.NORMALISED, VerifierMode.parse("Normalised"));
        assertThrows(IllegalArgumentException.class, () -> VerifierMode.parse("fuzzy"));
    }
}
