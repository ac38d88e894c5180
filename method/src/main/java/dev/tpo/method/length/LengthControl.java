package dev.tpo.method.length;

/**
 * The paper's length control over one prompt's samples: scores and response lengths are z-normalised
 * ({@code x' = (x - mean) / std}, population std) and combined as {@code s = score' - rho * length'}, so that among
 * equally good responses the shorter one wins. A component whose std is 0 normalises to zeros (nothing to
 * distinguish), and rho = 0 leaves the z-normalised scores, which rank exactly as the raw scores do.
 */
public final class LengthControl {
    private LengthControl() {}

    public static double[] apply(double[] scores, int[] lengths, double rho) {
        if (scores.length != lengths.length) {
            throw new IllegalArgumentException(
                    "scores (" + scores.length + ") and lengths (" + lengths.length + ") differ in count");
        }
        if (!(rho >= 0) || Double.isInfinite(rho)) {
            throw new IllegalArgumentException("rho must be a finite number >= 0, got " + rho);
        }
        for (int i = 0; i < scores.length; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new IllegalArgumentException(
                        "score " + i + " is " + scores[i] + "; only scored samples " + "take part in length control");
            }
            if (lengths[i] < 0) {
                throw new IllegalArgumentException("length " + i + " is negative: " + lengths[i]);
            }
        }
        double[] out = zNormalise(scores);
        if (rho > 0) {
            double[] len = new double[lengths.length];
            for (int i = 0; i < len.length; i++) {
                len[i] = lengths[i];
            }
            double[] lenZ = zNormalise(len);
            for (int i = 0; i < out.length; i++) {
                out[i] -= rho * lenZ[i];
            }
        }
        return out;
    }

    /** (x - mean) / std with the population std; all zeros when std is 0 (or there is one value). */
    public static double[] zNormalise(double[] x) {
        double[] out = new double[x.length];
        if (x.length == 0) {
            return out;
        }
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= x.length;
        double var = 0;
        for (double v : x) {
            var += (v - mean) * (v - mean);
        }
        double std = Math.sqrt(var / x.length);
        // Compared with a relative threshold: identical scores can leave a mean that differs from them in the
        // last bit, and dividing that rounding noise by its own tiny std would invent a ranking.
        if (std <= 1e-12 * Math.max(1.0, Math.abs(mean))) {
            return out;
        }
        for (int i = 0; i < x.length; i++) {
            out[i] = (x[i] - mean) / std;
        }
        return out;
    }
}
