package dev.tpo.cli;

import dev.tpo.workflows.TpoRunWorkflow;
import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import picocli.CommandLine.Parameters;

/** A command that sends one signal to a run and says so. */
abstract class RunSignalCommand extends RunClientCommand {
    @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run (workflow) id.")
    String runId;

    abstract void send(TpoRunWorkflow run);

    /** What the run will do, for the confirmation line. */
    abstract String effect();

    @Override
    int run(WorkflowClient client, PrintWriter out) {
        send(client.newWorkflowStub(TpoRunWorkflow.class, runId));
        out.println(runId + ": " + effect());
        return 0;
    }

    @Override
    String runId() {
        return runId;
    }
}
