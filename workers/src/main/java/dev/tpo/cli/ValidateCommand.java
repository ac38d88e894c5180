package dev.tpo.cli;

import dev.tpo.api.spec.InvalidRunSpecException;
import dev.tpo.api.spec.RunSpecParser;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tpo validate --spec FILE}: the workflow's own first check, without a server. */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = "Check a run spec and print it with every default filled in; no server needed.")
final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec command;

    @Option(names = "--spec", required = true, paramLabel = "FILE.json", description = "The run spec.")
    Path spec;

    @Override
    public Integer call() {
        RunSpecParser parser = new RunSpecParser();
        PrintWriter err = command.commandLine().getErr();
        try {
            SpecFile file = SpecFile.read(spec, parser);
            command.commandLine().getOut().println(parser.toJson(file.spec()));
            return 0;
        } catch (InvalidRunSpecException e) {
            for (String problem : e.problems()) {
                err.println(spec + ": " + problem);
            }
            err.println("error: " + spec + ": invalid run spec (" + e.problems().size()
                    + (e.problems().size() == 1 ? " problem)" : " problems)"));
            return 2;
        }
    }
}
