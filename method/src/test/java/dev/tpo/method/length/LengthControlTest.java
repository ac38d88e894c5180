package dev.tpo.method.length;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LengthControlTest {
    @Test
    void matchesAHandComputation() {
        // scores 1, 2, 3: mean 2, population std sqrt(2/3), so z = -sqrt(3/2), 0, +sqrt(3/2)
        // lengths 10, 20, 60: mean 30, deviations -20, -10, 30, population std sqrt(1400/3)
        double zs = Math.sqrt(1.5);
        double sd = Math.sqrt(1400.0 / 3);
        double[] expected = {-zs - 0.5 * (-20 / sd), 0 - 0.5 * (-10 / sd), zs - 0.5 * (30 / sd)};
        // = -0.76183, 0.23146, 0.53038: the long third sample loses most of its lead
        assertArrayEquals(new double[] {-0.7618348215, 0.2314550249, 0.5303797966}, expected, 1e-9);
        assertArrayEquals(expected, LengthControl.apply(new double[] {1, 2, 3}, new int[] {10, 20, 60}, 0.5), 1e-12);
    }

    @Test
    void rhoZeroLeavesZScores() {
        double zs = Math.sqrt(1.5);
        assertArrayEquals(
                new double[] {-zs, 0, zs},
                LengthControl.apply(new double[] {5, 7, 9}, new int[] {100, 1, 50}, 0),
                1e-12);
    }

    @Test
    void zeroStdGivesZeros() {
        assertArrayEquals(
                new double[] {0, 0, 0}, LengthControl.apply(new double[] {0.3, 0.3, 0.3}, new int[] {4, 4, 4}, 0.5), 0);
        // equal scores, different lengths: only the length term remains
        double[] s = LengthControl.apply(new double[] {2, 2}, new int[] {10, 30}, 1);
        assertArrayEquals(new double[] {1, -1}, s, 1e-12);
        assertArrayEquals(new double[] {0}, LengthControl.apply(new double[] {3}, new int[] {9}, 0.5), 0);
    }

    @Test
    void badInputIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> LengthControl.apply(new double[2], new int[3], 0));
        assertThrows(IllegalArgumentException.class, () -> LengthControl.apply(new double[2], new int[2], -0.1));
        assertThrows(
                IllegalArgumentException.class, () -> LengthControl.apply(new double[] {1, Double.NaN}, new int[2], 0));
        assertThrows(IllegalArgumentException.class, () -> LengthControl.apply(new double[2], new int[] {1, -1}, 0));
    }
}
