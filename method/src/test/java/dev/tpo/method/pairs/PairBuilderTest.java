package dev.tpo.method.pairs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class PairBuilderTest {
    private static ScoredSample ok(String id, int index, double score, int length) {
        return new ScoredSample(id, index, false, score, length);
    }

    private static ScoredSample bad(String id, int index, int length) {
        return new ScoredSample(id, index, true, Double.NaN, length);
    }

    @Test
    void picksHighestAndLowestAndBreaksTiesByLowerIndex() {
        List<ScoredSample> samples =
                List.of(ok("p", 0, 1, 10), ok("p", 1, 3, 10), ok("p", 2, 3, 10), ok("p", 3, 1, 10), ok("p", 4, 2, 10));
        PairSelection selection = new PairBuilder(0, false).select(samples);
        assertEquals(1, selection.pairs().size());
        SelectedPair pair = selection.pairs().get(0);
        assertEquals(1, pair.chosenIndex());
        assertEquals(0, pair.rejectedIndex());
        assertEquals(3, pair.chosenScore());
        assertEquals(1.0, pair.rejectedScore());
        // the same samples in another order give the same pair
        List<ScoredSample> shuffled = new ArrayList<>(samples);
        Collections.reverse(shuffled);
        assertEquals(
                selection.pairs(), new PairBuilder(0, false).select(shuffled).pairs());
    }

    @Test
    void allTiedAndTooFewWellFormedAreDroppedAndCounted() {
        List<ScoredSample> samples = List.of(
                ok("tied", 0, 5, 10),
                ok("tied", 1, 5, 90),
                ok("tied", 2, 5, 40),
                ok("one", 0, 5, 10),
                bad("one", 1, 20),
                bad("none", 0, 3),
                bad("none", 1, 3),
                ok("unscored", 0, 4, 10),
                ok("unscored", 1, Double.NaN, 10),
                ok("good", 0, 1, 30),
                ok("good", 1, 2, 20));
        PairSelection selection = new PairBuilder(0.5, false).select(samples);
        PairStats stats = selection.stats();
        assertEquals(5, stats.promptsSeen());
        assertEquals(1, stats.pairsMade());
        assertEquals("good", selection.pairs().get(0).promptId());
        // equal judge scores with different lengths are still a tie: length alone never makes a pair
        assertEquals(1, stats.droppedAllTied());
        assertEquals(3, stats.droppedTooFewWellFormed());
        assertEquals(3, stats.malformedSamples());
        assertEquals(1, stats.unscoredSamples());
        assertEquals(0, stats.pairsWithMalformedRejected());
    }

    @Test
    void lengthControlCanPreferTheShorterResponse() {
        // raw scores favour the long sample 1 slightly; z-normalised lengths outweigh it at rho = 1
        List<ScoredSample> samples = List.of(ok("p", 0, 0.50, 100), ok("p", 1, 0.52, 900), ok("p", 2, 0.10, 500));
        SelectedPair off = new PairBuilder(0, false).select(samples).pairs().get(0);
        assertEquals(1, off.chosenIndex());
        assertEquals(2, off.rejectedIndex());
        SelectedPair on = new PairBuilder(1.0, false).select(samples).pairs().get(0);
        // s = z(score) - z(length) = (0.655 + 1.225, 0.758 - 1.225, -1.413 - 0) = (1.880, -0.467, -1.413)
        assertEquals(0, on.chosenIndex());
        assertEquals(2, on.rejectedIndex());
        assertEquals(1.880, on.chosenAdjusted(), 1e-3);
        assertEquals(-1.413, on.rejectedAdjusted(), 1e-3);
        assertEquals(0.50, on.chosenScore());
    }

    @Test
    void statsAverageLengthsAndMargins() {
        List<ScoredSample> samples =
                List.of(ok("a", 0, 4, 100), ok("a", 1, 1, 300), ok("b", 0, 2, 50), ok("b", 1, 3, 150));
        PairStats stats = new PairBuilder(0, false).select(samples).stats();
        assertEquals(2, stats.pairsMade());
        assertEquals((100 + 150) / 2.0, stats.meanChosenLength(), 1e-12);
        assertEquals((300 + 50) / 2.0, stats.meanRejectedLength(), 1e-12);
        assertEquals((3 + 1) / 2.0, stats.meanScoreMargin(), 1e-12);
    }

    @Test
    void malformedOutputsAreRejectedOnlyWhenTheOptionIsOn() {
        List<ScoredSample> samples = List.of(
                ok("p", 0, 1, 10),
                bad("p", 3, 70),
                bad("p", 1, 50),
                ok("p", 2, 2, 20),
                ok("q", 0, 7, 10),
                bad("q", 1, 10));
        PairSelection off = new PairBuilder(0, false).select(samples);
        assertEquals(1, off.pairs().size());
        assertEquals(2, off.pairs().get(0).chosenIndex());
        assertEquals(0, off.pairs().get(0).rejectedIndex());
        assertEquals(1, off.stats().droppedTooFewWellFormed());

        PairSelection on = new PairBuilder(0, true).select(samples);
        assertEquals(2, on.pairs().size());
        SelectedPair p = on.pairs().get(0);
        assertEquals(2, p.chosenIndex());
        assertEquals(1, p.rejectedIndex());
        assertTrue(p.rejectedMalformed());
        assertNull(p.rejectedScore());
        assertNull(p.rejectedAdjusted());
        SelectedPair q = on.pairs().get(1);
        assertEquals(0, q.chosenIndex());
        assertEquals(1, q.rejectedIndex());
        assertEquals(2, on.stats().pairsWithMalformedRejected());
        assertEquals(0, on.stats().droppedTooFewWellFormed());
        assertEquals(3, on.stats().malformedSamples());
        // no pair with a well-formed rejected sample: the length means are 0 by definition
        assertEquals(0, on.stats().meanChosenLength());
    }

    @Test
    void badInputIsNamed() {
        String message = assertThrows(
                        IllegalArgumentException.class,
                        () -> new PairBuilder(0, false).select(List.of(ok("p", 1, 1, 1), ok("p", 1, 2, 1))))
                .getMessage();
        assertTrue(message.contains("'p'") && message.contains("sample 1"), message);
        assertThrows(IllegalArgumentException.class, () -> new PairBuilder(-1, false));
        assertThrows(IllegalArgumentException.class, () -> ok("p", -1, 1, 1));
    }
}
