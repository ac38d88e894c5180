package dev.tpo.activities;

import dev.tpo.api.steps.EvalResult;
import dev.tpo.api.steps.IterationSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * report.html of a run: one table row per evaluation (seed, then each iteration) and an inline SVG line chart of the
 * eval score per iteration. Self-contained (no scripts, styles or images from elsewhere) so it opens from a bucket.
 */
final class RunReportHtml {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 280;
    private static final int MARGIN = 40;

    private RunReportHtml() {
    }

    static String render(RunReport report) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
                .append(escape(report.name())).append("</title>\n<style>body{font-family:sans-serif;margin:2em}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;"
                        + "text-align:right}th{background:#f4f4f4}</style></head><body>\n");
        html.append("<h1>").append(escape(report.name())).append("</h1>\n<p>run ").append(escape(report.runId()))
                .append(", thought mode ").append(escape(report.thoughtMode())).append("</p>\n");
        html.append(chart(points(report)));
        html.append("<table>\n<tr><th>iteration</th><th>score kind</th><th>score</th><th>win rate</th>"
                + "<th>LC win rate</th><th>accuracy</th><th>malformed %</th><th>thought chars</th>"
                + "<th>response chars</th><th>pairs</th><th>train loss</th></tr>\n");
        if (report.seedEval() != null) {
            html.append(row("seed", report.seedEval(), null, null));
        }
        for (IterationSummary it : report.iterations()) {
            Integer pairs = it.pairs() == null ? null : it.pairs().pairs();
            Double loss = it.trainMetrics() == null ? null : it.trainMetrics().get("train_loss");
            html.append(row(String.valueOf(it.iteration()), it.eval(), pairs, loss));
        }
        html.append("</table>\n</body></html>\n");
        return html.toString();
    }

    private record Point(int iteration, double score) {
    }

    private static List<Point> points(RunReport report) {
        List<Point> points = new ArrayList<>();
        if (report.seedEval() != null) {
            points.add(new Point(0, report.seedEval().score()));
        }
        for (IterationSummary it : report.iterations()) {
            if (it.eval() != null) {
                points.add(new Point(it.iteration(), it.eval().score()));
            }
        }
        return points;
    }

    /** Scores are percentages, so the y axis is fixed at 0-100 and charts of different runs compare by eye. */
    private static String chart(List<Point> points) {
        if (points.isEmpty()) {
            return "";
        }
        int maxIteration = Math.max(1, points.stream().mapToInt(Point::iteration).max().orElse(1));
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "role=\"img\" aria-label=\"eval score per iteration\">\n", WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>\n",
                MARGIN, HEIGHT - MARGIN, WIDTH - MARGIN, HEIGHT - MARGIN));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>\n",
                MARGIN, MARGIN, MARGIN, HEIGHT - MARGIN));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">100</text>\n"
                + "<text x=\"%d\" y=\"%d\" font-size=\"11\">0</text>\n", 8, MARGIN + 4, 20, HEIGHT - MARGIN + 4));
        StringBuilder polyline = new StringBuilder();
        for (Point p : points) {
            double x = MARGIN + (WIDTH - 2.0 * MARGIN) * p.iteration() / maxIteration;
            double y = HEIGHT - MARGIN - (HEIGHT - 2.0 * MARGIN) * clamp(p.score()) / 100.0;
            polyline.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#1f77b4\"/>"
                    + "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">%.1f</text>\n", x, y, x + 4, y - 6, p.score()));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\">%s</text>\n", x - 3,
                    HEIGHT - MARGIN + 16, p.iteration() == 0 ? "seed" : String.valueOf(p.iteration())));
        }
        svg.append("<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"")
                .append(polyline.toString().strip()).append("\"/>\n</svg>\n");
        return svg.toString();
    }

    private static String row(String label, EvalResult e, Integer pairs, Double loss) {
        StringBuilder r = new StringBuilder("<tr><td>").append(escape(label)).append("</td>");
        if (e == null) {
            r.append("<td colspan=\"8\">not evaluated</td>");
        } else {
            r.append("<td>").append(escape(e.scoreKind())).append("</td>")
                    .append(cell(e.score())).append(cell(e.winRate())).append(cell(e.lcWinRate()))
                    .append(cell(e.accuracy())).append(cell(e.malformedRate()))
                    .append(cell(e.meanThoughtChars())).append(cell(e.meanResponseChars()));
        }
        r.append("<td>").append(pairs == null ? "" : pairs).append("</td>").append(cell(loss)).append("</tr>\n");
        return r.toString();
    }

    private static String cell(Double v) {
        return "<td>" + (v == null ? "" : String.format(Locale.ROOT, "%.2f", v)) + "</td>";
    }

    private static double clamp(double score) {
        return Double.isFinite(score) ? Math.max(0, Math.min(100, score)) : 0;
    }

    static String escape(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
