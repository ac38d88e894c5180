package dev.tpo.cli;

import dev.tpo.workflows.TpoRunWorkflow;
import picocli.CommandLine.Command;

@Command(
        name = "pause",
        mixinStandardHelpOptions = true,
        description = "Hold a run before its next step; running steps finish.")
final class PauseCommand extends RunSignalCommand {
    @Override
    void send(TpoRunWorkflow run) {
        run.pause();
    }

    @Override
    String effect() {
        return "pausing before the next step (running steps finish)";
    }
}
