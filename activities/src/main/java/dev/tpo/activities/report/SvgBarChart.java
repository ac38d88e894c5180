package dev.tpo.activities.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A grouped bar chart as inline SVG (one group per iteration, one bar per series), for counts and durations that
 * are not a trend along a continuous axis: pairs kept and dropped, step wall times. Same conventions as
 * {@link SvgLineChart}: axis titles with units, a legend, values as tooltips.
 */
final class SvgBarChart {
    private static final int WIDTH = SvgLineChart.WIDTH;
    private static final int HEIGHT = SvgLineChart.HEIGHT;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 48;
    private static final int BOTTOM = 52;

    /** One series' value per group; null where the group has none. */
    record Series(String name, List<Double> values) {}

    private final String title;
    private final String xTitle;
    private final String yTitle;
    private final List<String> groups;
    private final List<Series> series = new ArrayList<>();

    SvgBarChart(String title, String xTitle, String yTitle, List<String> groups) {
        this.title = title;
        this.xTitle = xTitle;
        this.yTitle = yTitle;
        this.groups = List.copyOf(groups);
    }

    SvgBarChart series(String name, List<Double> values) {
        if (values.stream().anyMatch(v -> v != null && Double.isFinite(v))) {
            series.add(new Series(name, values));
        }
        return this;
    }

    String render() {
        if (series.isEmpty() || groups.isEmpty()) {
            return "<p class=\"none\">" + Html.escape(title) + ": nothing logged.</p>\n";
        }
        double hi = series.stream()
                .flatMap(s -> s.values().stream())
                .filter(v -> v != null && Double.isFinite(v))
                .mapToDouble(Double::doubleValue)
                .max()
                .orElse(1);
        int plotBottom = HEIGHT - BOTTOM;
        ChartAxis y = ChartAxis.of(0, Math.max(hi, 1e-9), plotBottom, TOP, 5);
        double groupWidth = (WIDTH - LEFT - RIGHT) / (double) groups.size();
        double barWidth = Math.min(36, groupWidth * 0.8 / series.size());
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
        double at = LEFT;
        for (int i = 0; i < series.size(); i++) {
            String name = series.get(i).name();
            svg.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"23\" width=\"12\" height=\"10\" fill=\"%s\"/>"
                            + "<text x=\"%.1f\" y=\"32\" font-size=\"11\">%s</text>%n",
                    at,
                    colour(i),
                    at + 16,
                    Html.escape(name)));
            at += 28 + 6.5 * name.length();
        }
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
        for (int g = 0; g < groups.size(); g++) {
            double groupLeft = LEFT + g * groupWidth + (groupWidth - barWidth * series.size()) / 2;
            for (int s = 0; s < series.size(); s++) {
                Double v = series.get(s).values().size() > g
                        ? series.get(s).values().get(g)
                        : null;
                if (v == null || !Double.isFinite(v)) {
                    continue;
                }
                double top = y.pixel(v);
                svg.append(String.format(
                        Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                                + "fill=\"%s\"><title>%s, %s: %s</title></rect>%n",
                        groupLeft + s * barWidth,
                        top,
                        barWidth - 1,
                        plotBottom - top,
                        colour(s),
                        Html.escape(series.get(s).name()),
                        Html.escape(groups.get(g)),
                        SvgLineChart.fmt(v)));
            }
            svg.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" " + "text-anchor=\"middle\">%s</text>%n",
                    LEFT + (g + 0.5) * groupWidth,
                    plotBottom + 17,
                    Html.escape(groups.get(g))));
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
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static String colour(int i) {
        return SvgLineChart.COLOURS[i % SvgLineChart.COLOURS.length];
    }
}
