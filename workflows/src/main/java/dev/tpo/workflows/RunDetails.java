package dev.tpo.workflows;

import dev.tpo.api.steps.IterationSummary;
import java.util.Locale;

/**
 * The run's identity and progress as the workflow's current details (markdown in the Web UI): what the static
 * details say for runs started by {@code tpo start}, so runs started from the UI's form show it too.
 */
final class RunDetails {
    private RunDetails() {}

    static String markdown(RunState state) {
        StringBuilder md = new StringBuilder();
        md.append("**")
                .append(state.spec != null ? RunDescriptions.runSummary(state.spec) : "TPO run (invalid spec)")
                .append("** — ")
                .append(state.status)
                .append(state.status.equals("running") ? ", " + state.step : "")
                .append("\n\n");
        if (state.spec == null) {
            md.append(RunDescriptions.row("spec sha256", RunDescriptions.code(state.specSha256)));
            return md.toString();
        }
        md.append(RunDescriptions.runDetails(state.spec, state.specSha256));
        md.append(RunDescriptions.row("manifest", RunDescriptions.code(state.manifestUri)));
        if (state.tracked != null) {
            md.append(RunDescriptions.row(
                    "MLflow run", "[" + state.tracked.mlflowRunId() + "](" + state.tracked.runUrl() + ")"));
        }
        if (state.trackingProblem != null) {
            md.append(RunDescriptions.row("tracking problem", state.trackingProblem.replace("|", "\\|")));
        }
        md.append("\n| iteration | state | eval score | pairs | malformed samples |\n|---|---|---|---|---|\n");
        if (state.seed != null) {
            md.append(String.format(
                    Locale.ROOT,
                    "| seed | evaluated | %.2f | | |%n",
                    state.seed.result().score()));
        }
        for (IterationSummary it : state.finished) {
            md.append(String.format(
                    Locale.ROOT,
                    "| %d | done | %.2f | %d | %d/%d |%n",
                    it.iteration(),
                    it.eval().score(),
                    it.pairs().pairs(),
                    it.malformedSamples(),
                    it.samples()));
        }
        if (state.status.equals("running") && state.iteration > state.finished.size()) {
            md.append("| ")
                    .append(state.iteration)
                    .append(" | running: ")
                    .append(state.step)
                    .append(" | | | |\n");
        }
        return md.toString();
    }
}
