package dev.tpo.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tpo model ...}: the engine on its own, for people and for parity checks. */
@Command(
        name = "model",
        description = "Create, score with, generate with and tokenize for a model folder.",
        mixinStandardHelpOptions = true,
        subcommands = {
            ModelInitCommand.class,
            ModelScoreCommand.class,
            ModelGenerateCommand.class,
            ModelTokenizeCommand.class
        })
final class ModelCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }
}
