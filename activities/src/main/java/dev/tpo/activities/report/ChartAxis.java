package dev.tpo.activities.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A linear axis with "nice" ticks (1, 2 or 5 times a power of ten) covering a data range, mapping values to pixels.
 * Used by the report's SVG charts, so every chart has labelled, evenly spaced ticks instead of bare min/max text.
 */
final class ChartAxis {
    final double min;
    final double max;
    final double step;
    private final double pixelFrom;
    private final double pixelTo;

    private ChartAxis(double min, double max, double step, double pixelFrom, double pixelTo) {
        this.min = min;
        this.max = max;
        this.step = step;
        this.pixelFrom = pixelFrom;
        this.pixelTo = pixelTo;
    }

    /**
     * @param lo         the data range's low end, hi its high end (finite values only); equal ends are widened
     * @param pixelFrom  the pixel of the axis minimum (for a y axis the bottom, so pixelFrom > pixelTo)
     */
    static ChartAxis of(double lo, double hi, double pixelFrom, double pixelTo, int targetTicks) {
        return of(lo, hi, pixelFrom, pixelTo, targetTicks, false);
    }

    /** @param integer ticks on whole numbers only (optimizer steps, iterations) */
    static ChartAxis of(double lo, double hi, double pixelFrom, double pixelTo, int targetTicks, boolean integer) {
        if (!(hi > lo)) {
            double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            lo -= pad;
            hi += pad;
        }
        double step = niceStep((hi - lo) / Math.max(1, targetTicks));
        if (integer) {
            step = Math.max(1, step);
        }
        double min = Math.floor(lo / step) * step;
        double max = Math.ceil(hi / step) * step;
        return new ChartAxis(min, max, step, pixelFrom, pixelTo);
    }

    /** An axis of fixed ends (percentages: 0-100), ticks every {@code step}. */
    static ChartAxis fixed(double min, double max, double step, double pixelFrom, double pixelTo) {
        return new ChartAxis(min, max, step, pixelFrom, pixelTo);
    }

    static double niceStep(double rough) {
        if (!(rough > 0) || !Double.isFinite(rough)) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        double f = rough / magnitude;
        double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
        return nice * magnitude;
    }

    double pixel(double value) {
        return pixelFrom + (value - min) / (max - min) * (pixelTo - pixelFrom);
    }

    List<Double> ticks() {
        List<Double> ticks = new ArrayList<>();
        int n = (int) Math.round((max - min) / step);
        for (int i = 0; i <= n; i++) {
            ticks.add(min + i * step);
        }
        return ticks;
    }

    /** Tick text with as many decimals as the step needs (0.05 -> 2, 5 -> 0). */
    String label(double value) {
        int decimals = step >= 1 ? 0 : (int) Math.ceil(-Math.log10(step) - 1e-9);
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
