package dev.tpo.activities.report;

import java.util.List;
import java.util.Locale;

/**
 * The transcripts of a run report. Every thought sits in a dashed grey box labelled as hidden from the judge (the
 * judge scores responses only, which is the method), so a reader never mistakes it for what was judged.
 */
final class TranscriptHtml {
    static final String STYLE = ".transcript{display:grid;gap:8px;margin:0 0 1.5em}"
            + ".cell{border:1px solid #ccc;border-radius:4px;padding:6px;min-width:0}"
            + ".cell h4{margin:0 0 4px;font-size:13px}"
            + ".thought{border:1px dashed #999;background:#f3f3f3;color:#555;padding:4px;margin:4px 0;"
            + "white-space:pre-wrap;font-size:12px}"
            + ".thought::before{content:'thought \u2014 hidden from the judge';display:block;font-size:10px;"
            + "font-weight:bold;letter-spacing:.04em;text-transform:uppercase;color:#777}"
            + ".response{background:#eef6ff;border:1px solid #b6d4f2;padding:4px;white-space:pre-wrap;font-size:13px}"
            + ".response::before{content:'response \u2014 judged';display:block;font-size:10px;font-weight:bold;"
            + "letter-spacing:.04em;text-transform:uppercase;color:#3a6ea5}"
            + ".verdict{font-weight:bold;margin-top:4px}.win{color:#137333}.loss{color:#b3261e}.tie{color:#7a5d00}"
            + ".prompt{white-space:pre-wrap;background:#fafafa;border-left:3px solid #888;padding:4px 8px}"
            + "details{font-size:12px;color:#555}";

    private TranscriptHtml() {}

    static String eval(List<EvalTranscript> transcripts) {
        StringBuilder html = new StringBuilder("<h2>Eval transcripts</h2>\n");
        if (transcripts.isEmpty()) {
            return html.append("<p class=\"none\">No eval answers were recorded.</p>\n")
                    .toString();
        }
        html.append("<p>The first ")
                .append(transcripts.size())
                .append(" prompts of the eval set, answered by the "
                        + "seed and after each iteration. The judge saw only the response.</p>\n");
        for (EvalTranscript t : transcripts) {
            html.append("<h3>")
                    .append(Html.escape(t.promptId()))
                    .append(t.category() == null ? "" : " <small>(" + Html.escape(t.category()) + ")</small>")
                    .append("</h3>\n");
            html.append("<div class=\"prompt\">")
                    .append(Html.escape(t.prompt()))
                    .append("</div>\n");
            if (t.reference() != null) {
                html.append("<p>Reference answer: <code>")
                        .append(Html.escape(t.reference()))
                        .append("</code></p>\n");
            }
            if (t.baselineResponse() != null) {
                html.append("<details><summary>baseline response (what the judge compared against)</summary>"
                                + "<div class=\"response\">")
                        .append(Html.escape(t.baselineResponse()))
                        .append("</div></details>\n");
            }
            html.append(String.format(
                    Locale.ROOT,
                    "<div class=\"transcript\" style=\"grid-template-columns:" + "repeat(%d,minmax(0,1fr))\">%n",
                    Math.max(1, t.cells().size())));
            for (EvalTranscript.Cell c : t.cells()) {
                html.append("<div class=\"cell\"><h4>")
                        .append(Html.escape(c.label()))
                        .append("</h4>\n");
                html.append(thought(c.thought()));
                html.append(
                        c.malformed()
                                ? "<div class=\"response\"><em>malformed: no response found, so it loses "
                                        + "unjudged</em></div>\n"
                                : response(c.response()));
                html.append(verdict(c));
                if (!c.judgeDetails().isEmpty()) {
                    html.append("<details><summary>judge output</summary><pre>")
                            .append(Html.escape(String.join("\n---\n", c.judgeDetails())))
                            .append("</pre></details>\n");
                }
                html.append("</div>\n");
            }
            html.append("</div>\n");
        }
        return html.toString();
    }

    static String pairs(List<PairTranscript> pairs) {
        StringBuilder html = new StringBuilder("<h2>Training pairs</h2>\n");
        if (pairs.isEmpty()) {
            return html.append("<p class=\"none\">No pairs were made.</p>\n").toString();
        }
        html.append("<p>The first pairs of each iteration: the best and the worst scored sample of one prompt, "
                + "both trained on whole (thought included); the judge scored the responses.</p>\n");
        for (PairTranscript p : pairs) {
            html.append("<h3>iteration ")
                    .append(p.iteration())
                    .append(": ")
                    .append(Html.escape(p.promptId()))
                    .append("</h3>\n<div class=\"prompt\">")
                    .append(Html.escape(p.prompt()))
                    .append("</div>\n");
            html.append("<div class=\"transcript\" style=\"grid-template-columns:repeat(2,minmax(0,1fr))\">\n");
            html.append("<div class=\"cell\"><h4 class=\"win\">chosen, score ")
                    .append(score(p.chosenScore()))
                    .append("</h4>\n")
                    .append(thought(p.chosenThought()))
                    .append(response(p.chosenResponse()))
                    .append("</div>\n");
            html.append("<div class=\"cell\"><h4 class=\"loss\">rejected, score ")
                    .append(p.rejectedMalformed() ? "none (malformed)" : score(p.rejectedScore()))
                    .append("</h4>\n")
                    .append(thought(p.rejectedThought()))
                    .append(response(p.rejectedResponse()))
                    .append("</div>\n");
            html.append("</div>\n");
        }
        return html.toString();
    }

    private static String thought(String thought) {
        return thought == null || thought.isEmpty()
                ? ""
                : "<div class=\"thought\">" + Html.escape(thought) + "</div>\n";
    }

    private static String response(String response) {
        return "<div class=\"response\">" + Html.escape(response == null ? "" : response) + "</div>\n";
    }

    private static String verdict(EvalTranscript.Cell c) {
        StringBuilder v = new StringBuilder("<div class=\"verdict\">");
        if (c.verdict() != null) {
            v.append("<span class=\"")
                    .append(Html.escape(c.verdict()))
                    .append("\">")
                    .append(Html.escape(c.verdict()))
                    .append(" vs baseline</span>");
        }
        if (c.correct() != null) {
            v.append(c.verdict() != null ? "; " : "")
                    .append(
                            c.correct()
                                    ? "<span class=\"win\">correct</span>"
                                    : "<span class=\"loss\">incorrect</span>");
        }
        return v.append("</div>\n").toString();
    }

    private static String score(Double score) {
        return score == null ? "none" : SvgLineChart.fmt(score);
    }
}
