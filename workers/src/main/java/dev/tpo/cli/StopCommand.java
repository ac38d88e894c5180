package dev.tpo.cli;

import dev.tpo.workflows.TpoRunWorkflow;
import picocli.CommandLine.Command;

@Command(
        name = "stop",
        mixinStandardHelpOptions = true,
        description = "End a run after its current iteration, with its report written.")
final class StopCommand extends RunSignalCommand {
    @Override
    void send(TpoRunWorkflow run) {
        run.stopAfterIteration();
    }

    @Override
    String effect() {
        return "stopping after the current iteration";
    }
}
