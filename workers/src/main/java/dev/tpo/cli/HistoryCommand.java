package dev.tpo.cli;

import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code tpo history ID}: every step of a run and its iterations, with timings, retries and artifacts. */
@Command(
        name = "history",
        mixinStandardHelpOptions = true,
        description = "List every step of a run (iterations included): attempts, waiting and running time, "
                + "failures, and the artifacts each produced with their digests.")
final class HistoryCommand extends RunClientCommand {
    @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run (workflow) id.")
    String runId;

    @Override
    int run(WorkflowClient client, PrintWriter out) {
        List<StepRecord> steps = new RunHistoryReader(client).read(runId);
        TextTable table =
                new TextTable("workflow", "activity", "iter", "shard", "attempts", "waited_s", "ran_s", "outcome");
        TextTable artifacts = new TextTable("activity", "iter", "shard", "uri", "sha256", "bytes");
        for (StepRecord step : steps) {
            table.row(
                    step.workflowId(),
                    step.type(),
                    step.iteration(),
                    step.shard(),
                    step.attempts(),
                    seconds(step.waited()),
                    seconds(step.ran()),
                    step.outcome());
            for (FoundArtifact a : step.artifacts()) {
                artifacts.row(step.type(), step.iteration(), step.shard(), a.uri(), a.sha256(), a.size());
            }
        }
        out.println("steps of run " + runId + ":" + (steps.isEmpty() ? " none yet" : ""));
        if (!steps.isEmpty()) {
            out.print(table.render());
        }
        List<StepRecord> failed =
                steps.stream().filter(s -> !s.failures().isEmpty()).toList();
        if (!failed.isEmpty()) {
            out.println();
            out.println("failures:");
            for (StepRecord step : failed) {
                for (String failure : step.failures()) {
                    out.println(
                            "  " + step.workflowId() + " " + step.type() + " (" + step.activityId() + ") " + failure);
                }
            }
        }
        out.println();
        out.println("artifacts:" + (artifacts.isEmpty() ? " none" : ""));
        if (!artifacts.isEmpty()) {
            out.print(artifacts.render());
        }
        return 0;
    }

    private static String seconds(Duration d) {
        return d == null ? null : String.format(Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
    }

    @Override
    String runId() {
        return runId;
    }
}
