package dev.tpo.method.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LengthControlledWinRateTest {
    private static double logit(double p) {
        return Math.log(p / (1 - p));
    }

    @Test
    void matchesAHandComputationOnASymmetricDesign() {
        // 50 items where the policy is 100 chars longer (45 wins) and 50 where it is 100 shorter (15 wins).
        // d = +-100 has mean 0 and sd 100, so f = +-tanh(1); without the ridge sigmoid(a + b f) = 0.9 and
        // sigmoid(a - b f) = 0.3, hence a = (logit 0.9 + logit 0.3) / 2 and LC = sigmoid(a) = 66.26%.
        int n = 100;
        double[] y = new double[n];
        int[] policy = new int[n];
        int[] baseline = new int[n];
        for (int i = 0; i < n; i++) {
            boolean longer = i < 50;
            policy[i] = longer ? 300 : 100;
            baseline[i] = 200;
            y[i] = longer ? (i < 45 ? 1 : 0) : (i < 65 ? 1 : 0);
        }
        double a = (logit(0.9) + logit(0.3)) / 2;
        double expected = 100 / (1 + Math.exp(-a));
        assertEquals(66.26, expected, 0.01);
        assertEquals(expected, LengthControlledWinRate.compute(y, policy, baseline), 0.05);
        // raw win rate is 60%: here the policy does better once length is accounted for, since its wins when
        // shorter count for more
        assertEquals(60.0, Arrays.stream(y).sum(), 1e-12);
    }

    @Test
    void withoutLengthDifferencesItIsTheWinRate() {
        double[] y = new double[40];
        Arrays.fill(y, 0, 26, 1.0);
        Arrays.fill(y, 26, 30, 0.5);
        int[] same = new int[40];
        Arrays.fill(same, 120);
        assertEquals(100.0 * (26 + 2) / 40, LengthControlledWinRate.compute(y, same, same), 0.05);
    }

    @Test
    void unanimousOutcomesAreTheWinRateItself() {
        int[] p = {10, 20, 30, 40};
        int[] b = {25, 25, 25, 25};
        assertEquals(100.0, LengthControlledWinRate.compute(new double[] {1, 1, 1, 1}, p, b));
        assertEquals(0.0, LengthControlledWinRate.compute(new double[] {0, 0, 0, 0}, p, b));
        assertEquals(50.0, LengthControlledWinRate.compute(new double[] {0.5, 0.5, 0.5, 0.5}, p, b));
    }

    @Test
    void lostEverythingToLongerResponsesInventsNoWins() {
        // A policy whose every output was malformed: each empty response lost to a one- or two-character baseline
        // answer. Every length difference is negative, so the fit's value at zero difference was an extrapolation
        // set by the ridge: 4.2% here, beside a raw win rate of 0.
        int n = 16;
        int[] policy = new int[n];
        int[] baseline = new int[n];
        Arrays.fill(baseline, 1);
        baseline[0] = 2;
        assertEquals(0.0, LengthControlledWinRate.compute(new double[n], policy, baseline));
    }

    @Test
    void separableDataStaysFinite() {
        int[] p = {10, 20, 30, 40};
        int[] b = {25, 25, 25, 25};
        // wins exactly when longer: length explains everything, so the LC rate sits near 50
        double separable = LengthControlledWinRate.compute(new double[] {0, 0, 1, 1}, p, b);
        assertEquals(50, separable, 5);
        double almostAll = LengthControlledWinRate.compute(new double[] {0, 1, 1, 1}, p, b);
        assertTrue(almostAll > 50 && almostAll < 100, "three wins of four: " + almostAll);
    }

    @Test
    void badInputIsRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> LengthControlledWinRate.compute(new double[0], new int[0], new int[0]));
        assertThrows(
                IllegalArgumentException.class,
                () -> LengthControlledWinRate.compute(new double[] {2}, new int[] {1}, new int[] {1}));
        assertThrows(
                IllegalArgumentException.class,
                () -> LengthControlledWinRate.compute(new double[] {1}, new int[] {1, 2}, new int[] {1}));
    }
}
