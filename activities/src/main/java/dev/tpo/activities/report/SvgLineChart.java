package dev.tpo.activities.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * A line chart as inline SVG: axes with ticks and titles (units in the titles), one coloured line with markers per
 * series, a legend, and each point's value as a hover tooltip ({@code <title>}). Generated SVG rather than a
 * JavaScript charting library: the report must open offline, from a bucket or from MLflow's artifact viewer (which
 * shows HTML in a sandbox that runs no scripts), print, and stay diffable and testable as text; nothing third-party
 * has to be vetted and inlined.
 */
final class SvgLineChart {
    /** Okabe-Ito: distinguishable with the common colour-vision deficiencies. */
    static final String[] COLOURS = {
        "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"
    };

    static final int WIDTH = 600;
    static final int HEIGHT = 320;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 48;
    private static final int BOTTOM = 52;

    /** One line; points are (x, y) with non-finite values left out. */
    record Series(String name, List<double[]> points) {}

    private final String title;
    private final String xTitle;
    private final String yTitle;
    private final List<Series> series = new ArrayList<>();
    private double[] fixedY;
    private DoubleFunction<String> xLabels;
    private boolean integerX;

    SvgLineChart(String title, String xTitle, String yTitle) {
        this.title = title;
        this.xTitle = xTitle;
        this.yTitle = yTitle;
    }

    SvgLineChart series(String name, List<double[]> points) {
        List<double[]> finite = points.stream()
                .filter(p -> Double.isFinite(p[0]) && Double.isFinite(p[1]))
                .toList();
        if (!finite.isEmpty()) {
            series.add(new Series(name, finite));
        }
        return this;
    }

    /** A fixed y range with ticks every {@code step} (percentages: 0, 100, 20), so charts compare by eye. */
    SvgLineChart yRange(double min, double max, double step) {
        fixedY = new double[] {min, max, step};
        return this;
    }

    /** Integer x ticks labelled by {@code labels} (iteration 0 is "seed"). */
    SvgLineChart xLabels(DoubleFunction<String> labels) {
        xLabels = labels;
        return this;
    }

    /** Ticks on whole x values only (optimizer steps). */
    SvgLineChart integerX() {
        integerX = true;
        return this;
    }

    String render() {
        if (series.isEmpty()) {
            return "<p class=\"none\">" + Html.escape(title) + ": nothing logged.</p>\n";
        }
        double xLo = Double.POSITIVE_INFINITY;
        double xHi = Double.NEGATIVE_INFINITY;
        double yLo = Double.POSITIVE_INFINITY;
        double yHi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double[] p : s.points()) {
                xLo = Math.min(xLo, p[0]);
                xHi = Math.max(xHi, p[0]);
                yLo = Math.min(yLo, p[1]);
                yHi = Math.max(yHi, p[1]);
            }
        }
        int plotBottom = HEIGHT - BOTTOM;
        ChartAxis x = xLabels != null
                ? ChartAxis.fixed(
                        xLo,
                        Math.max(xHi, xLo + 1),
                        Math.max(1, ChartAxis.niceStep((xHi - xLo) / 8)),
                        LEFT,
                        WIDTH - RIGHT)
                : ChartAxis.of(xLo, xHi, LEFT, WIDTH - RIGHT, 6, integerX);
        ChartAxis y = fixedY != null
                ? ChartAxis.fixed(fixedY[0], fixedY[1], fixedY[2], plotBottom, TOP)
                : ChartAxis.of(yLo, yHi, plotBottom, TOP, 5);
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(
                Locale.ROOT,
                "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" "
                        + "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">%n",
                WIDTH,
                HEIGHT,
                WIDTH,
                HEIGHT,
                Html.escape(title)));
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"16\" font-size=\"14\" font-weight=\"bold\">%s" + "</text>%n",
                LEFT,
                Html.escape(title)));
        legend(svg);
        for (double t : y.ticks()) {
            double py = y.pixel(t);
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
                            + "stroke=\"#e4e4e4\"/><text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%s</text>%n",
                    LEFT,
                    py,
                    WIDTH - RIGHT,
                    py,
                    LEFT - 6,
                    py + 4,
                    y.label(t)));
        }
        for (double t : x.ticks()) {
            double px = x.pixel(t);
            String label = xLabels != null ? xLabels.apply(t) : x.label(t);
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#444\"/>"
                            + "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>%n",
                    px,
                    plotBottom,
                    px,
                    plotBottom + 4,
                    px,
                    plotBottom + 17,
                    Html.escape(label)));
        }
        svg.append(String.format(
                Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>"
                        + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>%n",
                LEFT,
                plotBottom,
                WIDTH - RIGHT,
                plotBottom,
                LEFT,
                TOP,
                LEFT,
                plotBottom));
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%s" + "</text>%n",
                (LEFT + WIDTH - RIGHT) / 2,
                HEIGHT - 12,
                Html.escape(xTitle)));
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"14\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\" "
                        + "transform=\"rotate(-90 14 %d)\">%s</text>%n",
                (TOP + plotBottom) / 2,
                (TOP + plotBottom) / 2,
                Html.escape(yTitle)));
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            String colour = COLOURS[i % COLOURS.length];
            StringBuilder points = new StringBuilder();
            for (double[] p : s.points()) {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x.pixel(p[0]), y.pixel(p[1])));
            }
            svg.append(String.format(
                    Locale.ROOT,
                    "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" " + "points=\"%s\"/>%n",
                    colour,
                    points.toString().strip()));
            // Markers only where they stay readable; every point still has its line vertex.
            if (s.points().size() <= 60) {
                for (double[] p : s.points()) {
                    svg.append(String.format(
                            Locale.ROOT,
                            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\">"
                                    + "<title>%s: %s = %s</title></circle>%n",
                            x.pixel(p[0]),
                            y.pixel(p[1]),
                            colour,
                            Html.escape(s.name()),
                            xLabels != null ? xLabels.apply(p[0]) : fmt(p[0]),
                            fmt(p[1])));
                }
            }
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private void legend(StringBuilder svg) {
        double at = LEFT;
        for (int i = 0; i < series.size(); i++) {
            String name = series.get(i).name();
            String colour = COLOURS[i % COLOURS.length];
            svg.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"26\" width=\"12\" height=\"4\" fill=\"%s\"/>"
                            + "<text x=\"%.1f\" y=\"32\" font-size=\"11\">%s</text>%n",
                    at,
                    colour,
                    at + 16,
                    Html.escape(name)));
            at += 28 + 6.5 * name.length();
        }
    }

    /** Four significant digits (one decimal from 1000 on), no trailing zeros: 0.52, 5.5, 2, 1234.5. */
    static String fmt(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        BigDecimal d = Math.abs(v) >= 1000
                ? BigDecimal.valueOf(v).setScale(1, RoundingMode.HALF_UP)
                : BigDecimal.valueOf(v).round(new MathContext(4, RoundingMode.HALF_UP));
        return d.stripTrailingZeros().toPlainString();
    }
}
