package dev.tpo.activities.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The report charts' value axes. */
class ChartAxisTest {
    @Test
    void niceAxesTickAtOneTwoOrFiveTimesAPowerOfTen() {
        ChartAxis axis = ChartAxis.of(0.31, 0.69, 300, 0, 5);
        assertEquals(0.1, axis.step, 1e-12);
        assertEquals(
                List.of(0.3, 0.4, 0.5, 0.6, 0.7),
                axis.ticks().stream().map(v -> Math.round(v * 10) / 10.0).toList());
        assertEquals("0.4", axis.label(0.4));
        assertEquals(300.0, axis.pixel(0.3), 1e-9);
        assertEquals(2.0, ChartAxis.niceStep(1.7));
        assertEquals(50.0, ChartAxis.niceStep(31));
        assertEquals(List.of(4.5, 5.0, 5.5), ChartAxis.of(5, 5, 0, 1, 4).ticks(), "a flat line widens");
    }
}
