package dev.tpo.cli;

import dev.tpo.api.steps.RunResult;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code tpo wait ID}: blocks until the run ends; a failed run fails the command with its cause. */
@Command(name = "wait", mixinStandardHelpOptions = true,
        description = "Wait for a run to end and print its result; exit 1 with the cause if it failed.")
final class WaitCommand extends RunClientCommand {
    @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run (workflow) id.")
    String runId;

    @Override
    int run(WorkflowClient client, PrintWriter out) {
        RunResult result;
        try {
            result = client.newUntypedWorkflowStub(runId).getResult(RunResult.class);
        } catch (WorkflowFailedException e) {
            PrintWriter err = command.commandLine().getErr();
            err.println("error: run '" + runId + "' failed: " + FailureChain.describe(e.getCause()));
            return 1;
        }
        out.printf("run           %s (%s)%n", result.runId(), result.name());
        out.printf("status        %s%n", result.status());
        out.printf("final policy  %s%n", result.finalPolicy() == null ? "-" : result.finalPolicy().uri());
        out.printf("report        %s%n", result.report() == null ? "-" : result.report().uri());
        out.println();
        out.print(IterationTable.render(result.seedEval(), result.iterations()));
        return 0;
    }

    @Override
    String runId() {
        return runId;
    }
}
