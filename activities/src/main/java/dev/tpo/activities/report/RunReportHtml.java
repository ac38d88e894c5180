package dev.tpo.activities.report;

import dev.tpo.api.steps.EvalResult;
import dev.tpo.api.steps.IterationSummary;
import dev.tpo.api.steps.PairSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * report.html of a run, one self-contained file (no scripts, styles, fonts or images from elsewhere) that opens
 * offline, from a bucket or in MLflow's artifact viewer: a table of every evaluation, charts across iterations
 * (eval score and LC win rate, thought and response lengths, malformed rates, pairs kept and dropped, per-category
 * results, step wall times), the DPO curves of every logged step from metrics.jsonl, and transcripts
 * ({@link TranscriptHtml}).
 */
public final class RunReportHtml {
    private static final String STYLE = "body{font-family:system-ui,sans-serif;margin:2em;max-width:1300px;color:#222}"
            + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;"
            + "text-align:right}th{background:#f4f4f4}td:first-child{text-align:left}"
            + ".charts{display:flex;flex-wrap:wrap;gap:12px}.chart{border:1px solid #eee;background:#fff}"
            + ".none{color:#888}" + TranscriptHtml.STYLE;

    private static final List<String> PIPELINE_ORDER =
            List.of("select", "generate", "judge", "pair", "reference", "train", "evaluate", "report");

    private RunReportHtml() {}

    /** @param trainingLogs metrics.jsonl rows by iteration (iterations that did not train have none) */
    public static String render(
            RunReport report,
            Map<Integer, List<Map<String, Double>>> trainingLogs,
            List<EvalTranscript> evalTranscripts,
            List<PairTranscript> pairTranscripts) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(Html.escape(report.name()))
                .append(" - TPO run report</title>\n<style>")
                .append(STYLE)
                .append("</style></head><body>\n");
        html.append("<h1>")
                .append(Html.escape(report.name()))
                .append("</h1>\n<p>Run <code>")
                .append(Html.escape(report.runId()))
                .append("</code>, thought mode <code>")
                .append(Html.escape(report.thoughtMode()))
                .append("</code>. Scores are percent; iteration 0 is the " + "seed policy.</p>\n");
        html.append("<h2>Evaluations</h2>\n").append(table(report));
        html.append("<h2>Across iterations</h2>\n<div class=\"charts\">\n");
        acrossIterations(report, html);
        html.append("</div>\n<h2>DPO training, per logged step</h2>\n<div class=\"charts\">\n");
        dpoCurves(trainingLogs, html);
        html.append("</div>\n");
        html.append(TranscriptHtml.eval(evalTranscripts));
        html.append(TranscriptHtml.pairs(pairTranscripts));
        html.append("</body></html>\n");
        return html.toString();
    }

    private static String table(RunReport report) {
        StringBuilder t = new StringBuilder("<table>\n<tr><th>iteration</th><th>score kind</th><th>score %</th>"
                + "<th>win rate %</th><th>LC win rate %</th><th>accuracy %</th><th>malformed %</th>"
                + "<th>thought chars</th><th>response chars</th><th>pairs kept</th><th>dropped: ties</th>"
                + "<th>dropped: too few well-formed</th><th>malformed samples %</th><th>wall time s</th></tr>\n");
        if (report.seedEval() != null) {
            t.append(row("seed", report.seedEval(), null));
        }
        for (IterationSummary it : report.iterations()) {
            t.append(row(String.valueOf(it.iteration()), it.eval(), it));
        }
        return t.append("</table>\n").toString();
    }

    private static String row(String label, EvalResult e, IterationSummary it) {
        StringBuilder r =
                new StringBuilder("<tr><td>").append(Html.escape(label)).append("</td>");
        if (e == null) {
            r.append("<td colspan=\"8\">not evaluated</td>");
        } else {
            r.append("<td>")
                    .append(Html.escape(e.scoreKind()))
                    .append("</td>")
                    .append(cell(e.score()))
                    .append(cell(e.winRate()))
                    .append(cell(e.lcWinRate()))
                    .append(cell(e.accuracy()))
                    .append(cell(e.malformedRate()))
                    .append(cell(e.meanThoughtChars()))
                    .append(cell(e.meanResponseChars()));
        }
        PairSummary p = it == null ? null : it.pairs();
        r.append(
                p == null
                        ? "<td></td><td></td><td></td>"
                        : "<td>" + p.pairs() + "</td><td>" + p.droppedAllTied() + "</td><td>"
                                + p.droppedTooFewWellFormed() + "</td>");
        r.append(cell(it == null ? null : sampleMalformedRate(it)));
        r.append(cell(
                it == null
                        ? null
                        : it.stepSeconds().values().stream()
                                .mapToDouble(Double::doubleValue)
                                .sum()));
        return r.append("</tr>\n").toString();
    }

    private static Double sampleMalformedRate(IterationSummary it) {
        return it.samples() == 0 ? null : 100.0 * it.malformedSamples() / it.samples();
    }

    private static void acrossIterations(RunReport report, StringBuilder html) {
        List<double[]> iterationsOnly = new ArrayList<>();
        List<Evaluation> evals = new ArrayList<>();
        if (report.seedEval() != null) {
            evals.add(new Evaluation(0, report.seedEval()));
        }
        for (IterationSummary it : report.iterations()) {
            if (it.eval() != null) {
                evals.add(new Evaluation(it.iteration(), it.eval()));
            }
            iterationsOnly.add(new double[] {it.iteration()});
        }
        Function<Double, String> iterationLabel = x -> x == 0 ? "seed" : String.valueOf(x.intValue());
        html.append(new SvgLineChart("Eval score and LC win rate", "iteration", "percent")
                .xLabels(iterationLabel::apply)
                .yRange(0, 100, 20)
                .series(
                        "score (" + (evals.isEmpty() ? "" : evals.get(0).eval().scoreKind()) + ")",
                        points(evals, e -> e.score()))
                .series("win rate", points(evals, EvalResult::winRate))
                .series("LC win rate", points(evals, EvalResult::lcWinRate))
                .render());
        html.append(new SvgLineChart("Mean thought and response length", "iteration", "characters")
                .xLabels(iterationLabel::apply)
                .series("thought", points(evals, e -> e.meanThoughtChars()))
                .series("response", points(evals, e -> e.meanResponseChars()))
                .render());
        List<double[]> sampleMalformed = new ArrayList<>();
        for (IterationSummary it : report.iterations()) {
            Double rate = sampleMalformedRate(it);
            if (rate != null) {
                sampleMalformed.add(new double[] {it.iteration(), rate});
            }
        }
        html.append(new SvgLineChart("Malformed outputs (no response found)", "iteration", "percent")
                .xLabels(iterationLabel::apply)
                .yRange(0, 100, 20)
                .series("eval answers", points(evals, e -> e.malformedRate()))
                .series("training samples", sampleMalformed)
                .render());
        TreeSet<String> categories = new TreeSet<>();
        evals.forEach(e -> categories.addAll(
                e.eval().perCategory() == null
                        ? List.of()
                        : e.eval().perCategory().keySet()));
        SvgLineChart perCategory = new SvgLineChart("Score per category", "iteration", "percent")
                .xLabels(iterationLabel::apply)
                .yRange(0, 100, 20);
        for (String category : categories) {
            perCategory.series(
                    category,
                    points(
                            evals,
                            e -> e.perCategory() == null
                                    ? null
                                    : e.perCategory().get(category)));
        }
        html.append(perCategory.render());
        List<String> groups = report.iterations().stream()
                .map(it -> String.valueOf(it.iteration()))
                .toList();
        html.append(new SvgBarChart("Pairs kept and prompts dropped", "iteration", "prompts", groups)
                .series(
                        "pairs kept",
                        perIteration(
                                report,
                                it -> it.pairs() == null
                                        ? null
                                        : (double) it.pairs().pairs()))
                .series(
                        "dropped: all tied",
                        perIteration(
                                report,
                                it -> it.pairs() == null
                                        ? null
                                        : (double) it.pairs().droppedAllTied()))
                .series(
                        "dropped: too few well-formed",
                        perIteration(
                                report,
                                it -> it.pairs() == null
                                        ? null
                                        : (double) it.pairs().droppedTooFewWellFormed()))
                .render());
        // Pipeline order first; a step this code does not know yet still shows, after them.
        List<String> steps = new ArrayList<>(PIPELINE_ORDER);
        TreeSet<String> present = new TreeSet<>();
        report.iterations().forEach(it -> present.addAll(it.stepSeconds().keySet()));
        steps.retainAll(present);
        present.removeAll(PIPELINE_ORDER);
        steps.addAll(present);
        SvgBarChart times = new SvgBarChart("Step wall times", "iteration", "seconds", groups);
        for (String step : steps) {
            times.series(step, perIteration(report, it -> it.stepSeconds().get(step)));
        }
        html.append(times.render());
    }

    private record Evaluation(int iteration, EvalResult eval) {}

    private static List<double[]> points(List<Evaluation> evals, Function<EvalResult, Double> value) {
        List<double[]> out = new ArrayList<>();
        for (Evaluation e : evals) {
            Double v = value.apply(e.eval());
            if (v != null) {
                out.add(new double[] {e.iteration(), v});
            }
        }
        return out;
    }

    private static List<Double> perIteration(RunReport report, Function<IterationSummary, Double> value) {
        return report.iterations().stream().map(value).toList();
    }

    /** TRL's metric names; the trainer logs them at every logging step. */
    private static void dpoCurves(Map<Integer, List<Map<String, Double>>> logs, StringBuilder html) {
        String[][] charts = {
            {"loss", "DPO loss", "loss"},
            {"rewards/margins", "Reward margin (chosen - rejected)", "beta x log-ratio"},
            {"rewards/accuracies", "Reward accuracy", "fraction of pairs, chosen > rejected"}
        };
        for (String[] c : charts) {
            SvgLineChart chart = new SvgLineChart(c[1], "optimizer step within the iteration", c[2]).integerX();
            logs.forEach((iteration, rows) -> {
                List<double[]> points = new ArrayList<>();
                for (Map<String, Double> row : rows) {
                    Double v = row.get(c[0]);
                    if (v != null) {
                        points.add(new double[] {row.get("step"), v});
                    }
                }
                chart.series("iteration " + iteration, points);
            });
            if (c[0].equals("rewards/accuracies")) {
                chart.yRange(0, 1, 0.2);
            }
            html.append(chart.render());
        }
    }

    private static String cell(Double v) {
        return "<td>" + (v == null || !Double.isFinite(v) ? "" : String.format(Locale.ROOT, "%.2f", v)) + "</td>";
    }
}
