package dev.tpo.method.eval;

/**
 * Length-controlled win rate in the style of AlpacaEval 2 (Dubois et al. 2024), without its per-instruction
 * difficulty term (one policy against one baseline leaves nothing to fit it from):
 *
 * <pre>
 *   d_i = len(policy_i) - len(baseline_i)                       response characters
 *   f_i = tanh(d_i / sd(d))                                     sd: population std over items; f = 0 if sd = 0
 *   P(policy wins item i) = sigmoid(a + b * f_i)
 *   (a, b) = argmax sum_i [y_i log p_i + (1 - y_i) log(1 - p_i)] - (lambda / 2) (a^2 + b^2)
 *   LC win rate = 100 * sigmoid(a)                              the predicted win rate at zero length difference
 * </pre>
 *
 * where y_i is 1 for a win, 1/2 for a tie and 0 for a loss, and lambda = 0.01. The small ridge keeps a and b finite
 * when wins separate perfectly by length, where the plain maximum-likelihood fit has no finite solution; its pull is
 * negligible beside a set's log-likelihood. With no length differences b plays no part and the LC win rate equals the
 * win rate (up to the ridge).
 *
 * <p>When every item has the same outcome (the policy wins everything, loses everything, or ties everything) the LC
 * win rate is the win rate itself: with no variation in outcomes there is nothing for length to explain, and the fit
 * would be set by the ridge and by where zero length difference lies relative to the data. A policy that lost every
 * item to longer baseline responses (e.g. every output malformed, so every response empty) would otherwise be
 * credited with wins it never had, extrapolated to a length difference it never showed.
 */
public final class LengthControlledWinRate {
    public static final double RIDGE = 0.01;

    private LengthControlledWinRate() {}

    /**
     * @param outcomes     1 win, 0.5 tie, 0 loss, per item
     * @param policyLength the policy's response length per item
     * @param baselineLength the baseline's response length per item
     * @return the LC win rate in percent
     */
    public static double compute(double[] outcomes, int[] policyLength, int[] baselineLength) {
        int n = outcomes.length;
        if (n == 0) {
            throw new IllegalArgumentException("LC win rate needs at least one item");
        }
        if (policyLength.length != n || baselineLength.length != n) {
            throw new IllegalArgumentException("outcomes and lengths differ in count: " + n + ", " + policyLength.length
                    + ", " + baselineLength.length);
        }
        for (int i = 0; i < n; i++) {
            if (!(outcomes[i] >= 0 && outcomes[i] <= 1)) {
                throw new IllegalArgumentException("outcome " + i + " must lie in [0, 1], got " + outcomes[i]);
            }
        }
        if (allEqual(outcomes)) {
            return 100 * outcomes[0];
        }
        double[] f = features(policyLength, baselineLength);
        double a = 0;
        double b = 0;
        for (int iteration = 0; iteration < 100; iteration++) {
            double ga = -RIDGE * a;
            double gb = -RIDGE * b;
            double haa = RIDGE;
            double hab = 0;
            double hbb = RIDGE;
            for (int i = 0; i < n; i++) {
                double p = sigmoid(a + b * f[i]);
                double r = outcomes[i] - p;
                ga += r;
                gb += r * f[i];
                double w = p * (1 - p);
                haa += w;
                hab += w * f[i];
                hbb += w * f[i] * f[i];
            }
            // Newton step on the concave objective: solve [haa hab; hab hbb] (da, db) = (ga, gb)
            double det = haa * hbb - hab * hab;
            double da = (hbb * ga - hab * gb) / det;
            double db = (haa * gb - hab * ga) / det;
            // backtracking keeps each step uphill where a full Newton step would overshoot (near-separable data)
            double before = objective(outcomes, f, a, b);
            double t = 1;
            while (t > 1e-10 && objective(outcomes, f, a + t * da, b + t * db) < before) {
                t /= 2;
            }
            a += t * da;
            b += t * db;
            if (t * (Math.abs(da) + Math.abs(db)) < 1e-12) {
                break;
            }
        }
        return 100 * sigmoid(a);
    }

    private static boolean allEqual(double[] outcomes) {
        for (double y : outcomes) {
            if (y != outcomes[0]) {
                return false;
            }
        }
        return true;
    }

    static double[] features(int[] policyLength, int[] baselineLength) {
        int n = policyLength.length;
        double[] d = new double[n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            d[i] = policyLength[i] - baselineLength[i];
            mean += d[i];
        }
        mean /= n;
        double var = 0;
        for (double v : d) {
            var += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(var / n);
        double[] f = new double[n];
        if (sd > 0) {
            for (int i = 0; i < n; i++) {
                f[i] = Math.tanh(d[i] / sd);
            }
        }
        return f;
    }

    private static double objective(double[] y, double[] f, double a, double b) {
        double sum = -0.5 * RIDGE * (a * a + b * b);
        for (int i = 0; i < y.length; i++) {
            double z = a + b * f[i];
            sum += y[i] * logSigmoid(z) + (1 - y[i]) * logSigmoid(-z);
        }
        return sum;
    }

    private static double logSigmoid(double x) {
        return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
    }

    private static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }
}
