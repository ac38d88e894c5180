package dev.tpo.method.judge;

import java.util.ArrayDeque;

/**
 * Per-response scores from a battle matrix, as in the paper: {@code battles[m][n]} counts the games m won against
 * n (with pairwise judging in both orders, 0 to 2 per pair; ties count for neither), and the scores maximise
 * {@code sum_{m,n} B[m][n] * log sigmoid(e_m - e_n) - (ridge / 2) * sum_m e_m^2}.
 *
 * <p>The ridge term is why this returns numbers at all for typical judge data: with eight samples a response
 * often wins (or loses) every game, where the plain maximum-likelihood estimate runs off to infinity. A tiny
 * ridge (default 1e-3) keeps every score finite, removes the free additive constant (the scores sum to zero), and
 * changes well-posed estimates only in the third decimal. Solved by Newton's method with a backtracking line
 * search; the objective is strictly concave for ridge > 0.
 */
public final class BradleyTerry {
    public static final double DEFAULT_RIDGE = 1e-3;
    private static final int MAX_ITERATIONS = 200;
    private static final double TOLERANCE = 1e-10;

    private BradleyTerry() {}

    public static double[] fit(double[][] battles) {
        return fit(battles, DEFAULT_RIDGE);
    }

    /**
     * @param ridge >= 0; with 0 the plain maximum-likelihood estimate must exist, i.e. the "m beat n" graph must be
     *              strongly connected (Ford's condition: no group of responses that never lost to the rest), else
     *              this throws
     */
    public static double[] fit(double[][] battles, double ridge) {
        int n = check(battles);
        if (!(ridge >= 0) || Double.isInfinite(ridge)) {
            throw new IllegalArgumentException("ridge must be a finite number >= 0, got " + ridge);
        }
        double[] e = new double[n];
        if (n < 2) {
            return e;
        }
        if (ridge == 0 && !stronglyConnected(battles)) {
            throw new IllegalArgumentException("with ridge 0 the battle matrix has no finite maximum-likelihood "
                    + "solution: some responses never lost (or never played) against the others");
        }
        double value = objective(battles, e, ridge);
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            double[] gradient = new double[n];
            double[][] negHessian = new double[n][n];
            derivatives(battles, e, ridge, gradient, negHessian);
            if (maxAbs(gradient) < TOLERANCE) {
                return e;
            }
            double[] step = solve(negHessian, gradient);
            double t = 1.0;
            double[] next = new double[n];
            double nextValue;
            while (true) {
                for (int i = 0; i < n; i++) {
                    next[i] = e[i] + t * step[i];
                }
                centre(next, ridge);
                nextValue = objective(battles, next, ridge);
                if (nextValue >= value - 1e-15 * Math.abs(value) || t < 1e-12) {
                    break;
                }
                t *= 0.5;
            }
            if (maxAbs(step) * t < 1e-14) {
                return next;
            }
            e = next;
            value = nextValue;
        }
        throw new IllegalStateException(
                "Bradley-Terry fit did not converge in " + MAX_ITERATIONS + " iterations (ridge " + ridge + ")");
    }

    /** Whether every response reaches every other along "beat" edges, both ways (checked from response 0). */
    private static boolean stronglyConnected(double[][] b) {
        return reachesAll(b, false) && reachesAll(b, true);
    }

    private static boolean reachesAll(double[][] b, boolean reversed) {
        int n = b.length;
        boolean[] seen = new boolean[n];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        seen[0] = true;
        queue.add(0);
        int count = 1;
        while (!queue.isEmpty()) {
            int m = queue.poll();
            for (int k = 0; k < n; k++) {
                double edge = reversed ? b[k][m] : b[m][k];
                if (!seen[k] && edge > 0) {
                    seen[k] = true;
                    count++;
                    queue.add(k);
                }
            }
        }
        return count == n;
    }

    private static int check(double[][] battles) {
        int n = battles.length;
        for (int m = 0; m < n; m++) {
            if (battles[m].length != n) {
                throw new IllegalArgumentException("battle matrix must be square: row " + m + " has "
                        + battles[m].length + " entries, expected " + n);
            }
            for (int k = 0; k < n; k++) {
                double b = battles[m][k];
                if (!(b >= 0) || Double.isInfinite(b)) {
                    throw new IllegalArgumentException(
                            "battles[" + m + "][" + k + "] must be a finite count >= 0, " + "got " + b);
                }
                if (m == k && b != 0) {
                    throw new IllegalArgumentException("battles[" + m + "][" + m + "] must be 0 (no self-games)");
                }
            }
        }
        return n;
    }

    private static double objective(double[][] b, double[] e, double ridge) {
        double sum = 0;
        for (int m = 0; m < e.length; m++) {
            for (int k = 0; k < e.length; k++) {
                if (b[m][k] > 0) {
                    sum += b[m][k] * logSigmoid(e[m] - e[k]);
                }
            }
            sum -= 0.5 * ridge * e[m] * e[m];
        }
        return sum;
    }

    private static void derivatives(double[][] b, double[] e, double ridge, double[] gradient, double[][] negHessian) {
        int n = e.length;
        for (int m = 0; m < n; m++) {
            gradient[m] -= ridge * e[m];
            negHessian[m][m] += ridge;
            for (int k = m + 1; k < n; k++) {
                double games = b[m][k] + b[k][m];
                if (games == 0) {
                    continue;
                }
                double p = sigmoid(e[m] - e[k]);
                // d/de_m of B[m][k] log p + B[k][m] log (1 - p)
                double g = b[m][k] * (1 - p) - b[k][m] * p;
                gradient[m] += g;
                gradient[k] -= g;
                double w = games * p * (1 - p);
                negHessian[m][m] += w;
                negHessian[k][k] += w;
                negHessian[m][k] -= w;
                negHessian[k][m] -= w;
            }
        }
        // Without a ridge the Hessian is singular along the all-ones direction (scores are defined up to a
        // constant); a tiny diagonal lets the solve go through and centring removes the drift.
        if (ridge == 0) {
            for (int m = 0; m < n; m++) {
                negHessian[m][m] += 1e-9;
            }
        }
    }

    private static void centre(double[] e, double ridge) {
        if (ridge > 0) {
            return;
        }
        double mean = 0;
        for (double v : e) {
            mean += v;
        }
        mean /= e.length;
        for (int i = 0; i < e.length; i++) {
            e[i] -= mean;
        }
    }

    /** Solves a x = y for a symmetric positive definite a by Gaussian elimination with partial pivoting. */
    private static double[] solve(double[][] a, double[] y) {
        int n = y.length;
        double[][] m = new double[n][];
        double[] x = y.clone();
        for (int i = 0; i < n; i++) {
            m[i] = a[i].clone();
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                    pivot = r;
                }
            }
            double[] rowSwap = m[col];
            m[col] = m[pivot];
            m[pivot] = rowSwap;
            double valueSwap = x[col];
            x[col] = x[pivot];
            x[pivot] = valueSwap;
            for (int r = col + 1; r < n; r++) {
                double f = m[r][col] / m[col][col];
                for (int c = col; c < n; c++) {
                    m[r][c] -= f * m[col][c];
                }
                x[r] -= f * x[col];
            }
        }
        for (int r = n - 1; r >= 0; r--) {
            double sum = x[r];
            for (int c = r + 1; c < n; c++) {
                sum -= m[r][c] * x[c];
            }
            x[r] = sum / m[r][r];
        }
        return x;
    }

    private static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    private static double logSigmoid(double x) {
        return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
    }

    private static double maxAbs(double[] v) {
        double max = 0;
        for (double x : v) {
            max = Math.max(max, Math.abs(x));
        }
        return max;
    }
}
