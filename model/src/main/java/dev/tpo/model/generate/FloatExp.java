package dev.tpo.model.generate;

/**
 * exp for float arguments at about 2e-7 relative error (two float ulps), several times faster than
 * {@code (float) Math.exp(x)}: the host sampler takes one exp per vocabulary entry per row per step.
 */
final class FloatExp {
    private static final float LOG2_E = 1.44269504f;
    // ln 2 split so that n * LN2_HIGH is exact for the n that occur
    private static final float LN2_HIGH = 0.693359375f;
    private static final float LN2_LOW = -2.12194440e-4f;

    private FloatExp() {}

    /** e^x for x <= 0 (the sampler's logits minus their maximum); 0 below the float range. */
    static float expNonPositive(float x) {
        if (x < -87f) {
            return 0f;
        }
        // e^x = 2^n * e^r with |r| <= ln2 / 2, and e^r from its degree-6 Taylor/minimax polynomial (Cephes expf)
        float n = (float) Math.floor(x * LOG2_E + 0.5f);
        float r = x - n * LN2_HIGH - n * LN2_LOW;
        float p = 1.3888949e-3f;
        p = p * r + 8.3334519e-3f;
        p = p * r + 4.1665795e-2f;
        p = p * r + 1.6666665e-1f;
        p = p * r + 0.5f;
        p = p * r * r + r + 1f;
        return p * Float.intBitsToFloat(((int) n + 127) << 23);
    }
}
