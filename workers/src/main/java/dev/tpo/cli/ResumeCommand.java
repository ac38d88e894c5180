package dev.tpo.cli;

import dev.tpo.workflows.TpoRunWorkflow;
import picocli.CommandLine.Command;

@Command(name = "resume", mixinStandardHelpOptions = true, description = "Continue a paused run.")
final class ResumeCommand extends RunSignalCommand {
    @Override
    void send(TpoRunWorkflow run) {
        run.resume();
    }

    @Override
    String effect() {
        return "resumed";
    }
}
