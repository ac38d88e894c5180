package dev.tpo.method.judge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BradleyTerryTest {
    /** d/de_m of sum B log sigmoid(e_m - e_n) - ridge/2 |e|^2, written out independently of the fit. */
    private static double[] gradient(double[][] b, double[] e, double ridge) {
        double[] g = new double[e.length];
        for (int m = 0; m < e.length; m++) {
            g[m] = -ridge * e[m];
            for (int n = 0; n < e.length; n++) {
                double pmn = 1 / (1 + Math.exp(-(e[m] - e[n])));
                g[m] += b[m][n] * (1 - pmn) - b[n][m] * pmn;
            }
        }
        return g;
    }

    @Test
    void twoPlayersMatchTheClosedForm() {
        // 3 wins to 1: sigmoid(e0 - e1) = 3/4, so e0 - e1 = ln 3, centred at 0
        double[] e = BradleyTerry.fit(new double[][] {{0, 3}, {1, 0}}, 0);
        assertEquals(Math.log(3) / 2, e[0], 1e-9);
        assertEquals(-Math.log(3) / 2, e[1], 1e-9);
    }

    @Test
    void handMadeMatrixIsAStationaryPointWithTheRightOrder() {
        // 0 beats 1 and 2 mostly, 1 beats 2 mostly; every player wins and loses somewhere, so the MLE exists
        double[][] b = {{0, 2, 2}, {1, 0, 1}, {1, 1, 0}};
        double[] e = BradleyTerry.fit(b, 0);
        assertArrayEquals(new double[3], gradient(b, e, 0), 1e-8);
        assertTrue(e[0] > e[1], Arrays.toString(e));
        assertEquals(e[1], e[2], 1e-9);
        assertEquals(0, e[0] + e[1] + e[2], 1e-9);
        // a tiny ridge barely moves a well-posed estimate
        double[] ridged = BradleyTerry.fit(b);
        assertArrayEquals(e, ridged, 5e-3);
        assertArrayEquals(new double[3], gradient(b, ridged, BradleyTerry.DEFAULT_RIDGE), 1e-8);
    }

    @Test
    void symmetricCycleAndAllTiesGiveEqualScores() {
        double[][] cycle = {{0, 2, 0}, {0, 0, 2}, {2, 0, 0}};
        assertArrayEquals(new double[3], BradleyTerry.fit(cycle), 1e-9);
        assertArrayEquals(new double[4], BradleyTerry.fit(new double[4][4]), 0);
        assertArrayEquals(new double[1], BradleyTerry.fit(new double[1][1]), 0);
    }

    @Test
    void undefeatedResponsesStayFiniteAndOrdered() {
        // a strict order won in both orders of every pair: the plain MLE does not exist
        double[][] b = {{0, 2, 2, 2}, {0, 0, 2, 2}, {0, 0, 0, 2}, {0, 0, 0, 0}};
        double[] e = BradleyTerry.fit(b);
        for (double v : e) {
            assertTrue(Double.isFinite(v));
        }
        assertTrue(e[0] > e[1] && e[1] > e[2] && e[2] > e[3], Arrays.toString(e));
        assertEquals(0, e[0] + e[1] + e[2] + e[3], 1e-9);
        assertArrayEquals(new double[4], gradient(b, e, BradleyTerry.DEFAULT_RIDGE), 1e-8);
        // without a ridge there is no finite answer, and the fit says so
        assertThrows(IllegalArgumentException.class, () -> BradleyTerry.fit(b, 0));
    }

    @Test
    void tiesContributeNothing() {
        // 0 and 1 tied twice (no entries), 0 beat 2 once, 2 beat 1 once, and one split pair: symmetric around 0
        double[][] b = {{0, 0, 1}, {0, 0, 0}, {0, 1, 0}};
        double[] e = BradleyTerry.fit(b);
        assertTrue(e[0] > e[2] && e[2] > e[1], Arrays.toString(e));
        assertEquals(0, e[2], 1e-9);
        assertEquals(-e[0], e[1], 1e-9);
    }

    @Test
    void badMatricesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> BradleyTerry.fit(new double[][] {{0, 1}, {1}}));
        assertThrows(IllegalArgumentException.class, () -> BradleyTerry.fit(new double[][] {{0, -1}, {1, 0}}));
        assertThrows(IllegalArgumentException.class, () -> BradleyTerry.fit(new double[][] {{1, 1}, {1, 0}}));
        assertThrows(IllegalArgumentException.class, () -> BradleyTerry.fit(new double[2][2], -1));
    }
}
