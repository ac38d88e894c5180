package dev.tpo.method.report;

import dev.tpo.method.eval.EvalSummary;
import dev.tpo.method.pairs.PairStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A fixed-width text table of a run's iterations, one row each, for the CLI. Columns: pairing (pairs made,
 * prompts dropped as tied or with too few well-formed samples, malformed samples, mean chosen and rejected
 * response lengths), each training metric any iteration reported, evaluation (headline score and its kind, win
 * rate, LC win rate, mean thought and response characters, malformed percent) and total seconds. "-" marks what
 * an iteration did not report.
 */
public final class ReportTable {
    private ReportTable() {}

    /** A column: its header and how a report fills its cell. */
    private record Column(String header, Function<IterationReport, String> cell) {}

    public static String render(List<IterationReport> reports) {
        List<Column> columns = columns(reports);
        List<String[]> rows = new ArrayList<>();
        for (IterationReport r : reports) {
            String[] row = new String[columns.size()];
            for (int c = 0; c < row.length; c++) {
                row[c] = columns.get(c).cell().apply(r);
            }
            rows.add(row);
        }
        int[] widths = new int[columns.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = columns.get(c).header().length();
            for (String[] row : rows) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        String[] headers = columns.stream().map(Column::header).toArray(String[]::new);
        line(out, headers, widths);
        String[] rule = new String[widths.length];
        for (int c = 0; c < widths.length; c++) {
            rule[c] = "-".repeat(widths[c]);
        }
        line(out, rule, widths);
        for (String[] row : rows) {
            line(out, row, widths);
        }
        return out.toString();
    }

    private static List<Column> columns(List<IterationReport> reports) {
        List<Column> columns = new ArrayList<>();
        columns.add(new Column("iter", r -> Integer.toString(r.iteration())));
        columns.add(new Column("mode", r -> r.thoughtMode().wireName()));
        columns.add(new Column("pairs", pairs(s -> Integer.toString(s.pairsMade()))));
        columns.add(new Column("tied", pairs(s -> Integer.toString(s.droppedAllTied()))));
        columns.add(new Column("few", pairs(s -> Integer.toString(s.droppedTooFewWellFormed()))));
        columns.add(new Column("malformed", pairs(s -> Integer.toString(s.malformedSamples()))));
        columns.add(new Column("chosen_len", pairs(s -> fixed(s.meanChosenLength(), 1))));
        columns.add(new Column("rejected_len", pairs(s -> fixed(s.meanRejectedLength(), 1))));
        TreeSet<String> metrics = new TreeSet<>();
        reports.forEach(r -> metrics.addAll(r.trainingMetrics().keySet()));
        for (String metric : metrics) {
            columns.add(new Column(metric, r -> {
                Double v = r.trainingMetrics().get(metric);
                return v == null ? "-" : fixed(v, 4);
            }));
        }
        columns.add(new Column("score", eval(s -> fixed(s.score(), 1))));
        columns.add(new Column("kind", eval(s -> s.scoreKind().wireName())));
        columns.add(new Column("win%", eval(s -> fixed(s.winRate(), 1))));
        columns.add(new Column("lc_win%", eval(s -> s.lcWinRate() == null ? "-" : fixed(s.lcWinRate(), 1))));
        columns.add(new Column("thought_chars", eval(s -> fixed(s.meanThoughtChars(), 0))));
        columns.add(new Column("response_chars", eval(s -> fixed(s.meanResponseChars(), 0))));
        columns.add(new Column("malformed%", eval(s -> fixed(s.malformedRate(), 1))));
        columns.add(new Column("seconds", r -> r.stepSeconds().isEmpty() ? "-" : fixed(r.totalSeconds(), 0)));
        return columns;
    }

    private static Function<IterationReport, String> pairs(Function<PairStats, String> f) {
        return r -> r.pairStats() == null ? "-" : f.apply(r.pairStats());
    }

    private static Function<IterationReport, String> eval(Function<EvalSummary, String> f) {
        return r -> r.eval() == null ? "-" : f.apply(r.eval());
    }

    private static String fixed(double value, int decimals) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%." + decimals + "f", value) : "-";
    }

    /** First two columns (iteration, mode) left-aligned, numbers right-aligned; two spaces between columns. */
    private static void line(StringBuilder out, String[] cells, int[] widths) {
        StringBuilder row = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                row.append("  ");
            }
            String pad = " ".repeat(widths[c] - cells[c].length());
            row.append(c < 2 ? cells[c] + pad : pad + cells[c]);
        }
        out.append(row.toString().stripTrailing()).append('\n');
    }
}
