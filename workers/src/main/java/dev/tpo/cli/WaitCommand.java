package dev.tpo.cli;

import dev.tpo.api.steps.RunProgress;
import dev.tpo.api.steps.RunResult;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code tpo wait ID}: blocks until the run ends; a failed run fails the command with its cause. */
@Command(
        name = "wait",
        mixinStandardHelpOptions = true,
        description = "Wait for a run to end and print its result; exit 1 with the cause if it failed.")
final class WaitCommand extends RunClientCommand {
    private static final Duration POLL = Duration.ofSeconds(2);

    @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run (workflow) id.")
    String runId;

    @Override
    int run(WorkflowClient client, PrintWriter out) {
        RunResult result;
        try {
            result = awaitShowingProgress(client.newUntypedWorkflowStub(runId));
        } catch (WorkflowFailedException e) {
            PrintWriter err = command.commandLine().getErr();
            err.println("error: run '" + runId + "' failed: " + FailureChain.describe(e.getCause()));
            return 1;
        }
        out.printf("run           %s (%s)%n", result.runId(), result.name());
        out.printf("status        %s%n", result.status());
        out.printf(
                "final policy  %s%n",
                result.finalPolicy() == null ? "-" : result.finalPolicy().uri());
        out.printf(
                "report        %s%n",
                result.report() == null ? "-" : result.report().uri());
        out.println();
        out.print(IterationTable.render(result.seedEval(), result.iterations()));
        return 0;
    }

    /**
     * The run's result; meanwhile its progress (iterations finished, the current step and shards) on stderr, asked
     * of the run every {@link #POLL} while it works.
     */
    private RunResult awaitShowingProgress(WorkflowStub run) {
        CompletableFuture<RunResult> result = run.getResultAsync(RunResult.class);
        ProgressBar bar = null;
        try {
            while (true) {
                try {
                    return result.get(POLL.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    RunProgress p;
                    try {
                        p = run.query("progress", RunProgress.class);
                    } catch (WorkflowException unanswered) {
                        // No worker answers queries at the moment (they are all busy or down): keep waiting.
                        continue;
                    }
                    if (bar == null) {
                        bar = ProgressBar.on(
                                command.commandLine().getErr(), "run " + runId, p.iterations(), "iterations");
                    }
                    bar.update(
                            p.finished().size(),
                            p.iterations(),
                            "iteration " + p.iteration() + " " + p.step()
                                    + (p.shardsTotal() > 0
                                            ? " " + p.shardsDone() + "/" + p.shardsTotal() + " shards"
                                            : "")
                                    + (p.status().equals("running") ? "" : " (" + p.status() + ")"));
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WorkflowException workflow) {
                throw workflow;
            }
            throw new IllegalStateException("waiting for run '" + runId + "': " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for run '" + runId + "'", e);
        } finally {
            if (bar != null) {
                bar.finish();
            }
        }
    }

    @Override
    String runId() {
        return runId;
    }
}
