package dev.tpo.cli;

import dev.tpo.api.steps.EvalResult;
import dev.tpo.api.steps.IterationSummary;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One row per finished iteration (iteration 0 is the seed's evaluation), as status and wait print them. */
final class IterationTable {
    private IterationTable() {}

    static String render(EvalResult seedEval, List<IterationSummary> iterations) {
        TextTable table = new TextTable(
                "iter",
                "mode",
                "prompts",
                "samples",
                "malformed",
                "pairs",
                "chosen_len",
                "rejected_len",
                "loss",
                "score",
                "kind",
                "win_rate",
                "lc_win_rate",
                "seconds");
        if (seedEval != null) {
            table.row(
                    0,
                    "seed",
                    seedEval.prompts(),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    number(seedEval.score()),
                    seedEval.scoreKind(),
                    number(seedEval.winRate()),
                    number(seedEval.lcWinRate()),
                    null);
        }
        for (IterationSummary it : iterations) {
            EvalResult eval = it.eval();
            table.row(
                    it.iteration(),
                    it.thoughtMode(),
                    it.prompts(),
                    it.samples(),
                    it.malformedSamples(),
                    it.pairs() == null ? null : it.pairs().pairs(),
                    it.pairs() == null ? null : number(it.pairs().meanChosenLength()),
                    it.pairs() == null ? null : number(it.pairs().meanRejectedLength()),
                    number(it.trainMetrics() == null ? null : it.trainMetrics().get("loss")),
                    eval == null ? null : number(eval.score()),
                    eval == null ? null : eval.scoreKind(),
                    eval == null ? null : number(eval.winRate()),
                    eval == null ? null : number(eval.lcWinRate()),
                    number(total(it.stepSeconds())));
        }
        return table.render();
    }

    private static Double total(Map<String, Double> seconds) {
        return seconds == null
                ? null
                : seconds.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    static String number(Double value) {
        if (value == null) {
            return null;
        }
        return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%.1f" : "%.4g", value);
    }
}
