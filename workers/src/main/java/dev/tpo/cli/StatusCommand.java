package dev.tpo.cli;

import dev.tpo.api.steps.RunProgress;
import dev.tpo.api.steps.RunResult;
import dev.tpo.workflows.TpoRunWorkflow;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tpo status ID}: the run's progress query plus what Temporal is running for it right now. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Show a run's progress, its running steps (attempts, heartbeats, failures) and finished "
                + "iterations.")
final class StatusCommand extends RunClientCommand {
    @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run (workflow) id.")
    String runId;

    @Option(
            names = "--query-timeout",
            paramLabel = "SECONDS",
            defaultValue = "20",
            description = "How long to wait for a control worker to answer (default ${DEFAULT-VALUE}).")
    long queryTimeoutSeconds;

    @Override
    int run(WorkflowClient client, PrintWriter out) throws Exception {
        RunDescriber describer = new RunDescriber(client);
        WorkflowExecutionStatus temporalStatus = describer.status(runId);
        RunProgress progress = temporalStatus == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED
                ? fromResult(client)
                : queryProgress(client);
        out.printf(
                "run         %s (Temporal: %s)%n",
                runId, temporalStatus.name().replace("WORKFLOW_EXECUTION_STATUS_", ""));
        out.printf("status      %s%n", progress.status());
        out.printf("iteration   %d/%d%n", progress.iteration(), progress.iterations());
        out.printf(
                "step        %s%s%n",
                progress.step(),
                progress.shardsTotal() > 0
                        ? "  (shards " + progress.shardsDone() + "/" + progress.shardsTotal() + ")"
                        : "");
        out.printf("metrics     %s%n", metrics(progress.latestMetrics()));
        List<PendingStep> pending = describer.pendingSteps(runId);
        out.println();
        out.println("running steps:" + (pending.isEmpty() ? " none" : ""));
        if (!pending.isEmpty()) {
            TextTable table = new TextTable(
                    "workflow", "activity", "state", "attempt", "last heartbeat", "heartbeat details", "last failure");
            for (PendingStep step : pending) {
                table.row(
                        step.workflowId(),
                        step.type(),
                        step.state(),
                        step.attempt(),
                        step.lastHeartbeat(),
                        step.heartbeatDetails(),
                        step.lastFailure());
            }
            out.print(table.render());
        }
        out.println();
        out.println(
                "finished iterations:" + (progress.finished().isEmpty() && progress.seedEval() == null ? " none" : ""));
        if (!progress.finished().isEmpty() || progress.seedEval() != null) {
            out.print(IterationTable.render(progress.seedEval(), progress.finished()));
        }
        return 0;
    }

    /**
     * A completed run's result is in its history, so an audit long after the workers are gone needs none of them
     * (a query would replay the workflow on a control worker).
     */
    private RunProgress fromResult(WorkflowClient client) {
        RunResult result = client.newUntypedWorkflowStub(runId).getResult(RunResult.class);
        int done = result.iterations().size();
        return new RunProgress(
                result.status(), done, done, "done", 0, 0, Map.of(), result.seedEval(), result.iterations());
    }

    /** A query needs a control worker; without one it would wait forever, so it is bounded. */
    private RunProgress queryProgress(WorkflowClient client) throws Exception {
        TpoRunWorkflow run = client.newWorkflowStub(TpoRunWorkflow.class, runId);
        CompletableFuture<RunProgress> answer = CompletableFuture.supplyAsync(run::progress);
        try {
            return answer.get(queryTimeoutSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new IllegalStateException("no control worker answered the progress query of run '" + runId
                    + "' within " + queryTimeoutSeconds + "s: is `tpo worker --role control` running?");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static String metrics(Map<String, Double> metrics) {
        if (metrics.isEmpty()) {
            return "-";
        }
        return metrics.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + IterationTable.number(e.getValue()))
                .collect(Collectors.joining("  "));
    }

    @Override
    String runId() {
        return runId;
    }
}
