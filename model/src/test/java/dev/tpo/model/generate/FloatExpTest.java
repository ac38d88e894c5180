package dev.tpo.model.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FloatExpTest {

    @Test
    void matchesMathExpWithinTwoFloatUlpsOverTheRangeTheSamplerUses() {
        double worst = 0;
        for (int i = 0; i <= 1_000_000; i++) {
            float x = -87f * i / 1_000_000;
            double exact = Math.exp(x);
            worst = Math.max(worst, Math.abs(FloatExp.expNonPositive(x) - exact) / exact);
        }
        assertTrue(worst < 3e-7, "worst relative error " + worst);
        assertEquals(1f, FloatExp.expNonPositive(0f));
        assertEquals(0f, FloatExp.expNonPositive(-200f));
        assertEquals(0f, FloatExp.expNonPositive(Float.NEGATIVE_INFINITY));
    }
}
