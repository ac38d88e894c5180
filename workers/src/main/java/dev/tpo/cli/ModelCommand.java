package dev.tpo.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tpo model ...}: the engine on its own, for people and for parity checks. */
@Command(name = "model", description = "Create, score with, generate with and tokenize for a model folder.",
        mixinStandardHelpOptions = true,
        subcommands = {ModelInitCommand.class, ModelScoreCommand.class, ModelGenerateCommand.class,
            ModelTokenizeCommand.class})
final class ModelCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.err);
    }
}
