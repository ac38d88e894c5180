package dev.tpo.workflows;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A workflow's steps as a small markdown table, set as the workflow's current details so the Web UI shows where a
 * run stands without a query: step, state, shards done, seconds. Workflow state only: deterministic, no I/O.
 */
final class ProgressTable {
    private final List<Row> rows = new ArrayList<>();

    private static final class Row {
        final String step;
        String state = "running";
        String shards = "";
        String seconds = "";
        final String note;

        Row(String step, String note) {
            this.step = step;
            this.note = note;
        }
    }

    /** A step begins (or begins again, after a pause): it gets a new row. */
    void begin(String step, int shards, String note) {
        Row row = new Row(step, note);
        row.shards = shards > 0 ? "0/" + shards : "";
        rows.add(row);
    }

    void shards(int done, int total) {
        if (!rows.isEmpty() && total > 0) {
            last().shards = done + "/" + total;
        }
    }

    void end(double seconds) {
        if (!rows.isEmpty()) {
            Row row = last();
            row.state = "done";
            row.seconds = String.format(Locale.ROOT, "%.1f", seconds);
        }
    }

    void fail() {
        if (!rows.isEmpty() && last().state.equals("running")) {
            last().state = "failed";
        }
    }

    /** The table under a heading line. */
    String markdown(String heading) {
        StringBuilder md = new StringBuilder(heading)
                .append("\n\n| step | state | shards | seconds | what |\n")
                .append("|---|---|---|---|---|\n");
        for (Row row : rows) {
            md.append("| ")
                    .append(row.step)
                    .append(" | ")
                    .append(row.state)
                    .append(" | ")
                    .append(row.shards)
                    .append(" | ")
                    .append(row.seconds)
                    .append(" | ")
                    .append(row.note.replace("|", "\\|"))
                    .append(" |\n");
        }
        return md.toString();
    }

    private Row last() {
        return rows.get(rows.size() - 1);
    }
}
