package dev.tpo.cli;

import dev.tpo.model.InvalidModelException;
import dev.tpo.model.tokenizer.ChatTemplateException;
import dev.tpo.model.tokenizer.TokenizerException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tpo} command: the entry point of the launcher script at the repository root. */
@Command(name = "tpo", mixinStandardHelpOptions = true, version = "tpo 0.1.0",
        description = "Thought Preference Optimization: model engine, training and the Temporal pipeline.",
        subcommands = {ModelCommand.class, TrainCommand.class, BenchCommand.class})
public final class TpoCommand implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.err);
    }

    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", "true");
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code: 0 done, 2 bad input (one error line), 1 anything else. */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new TpoCommand());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (isInputError(e)) {
                cmd.getErr().println("error: " + e.getMessage());
                return 2;
            }
            cmd.getErr().println("error: " + e);
            if (System.getenv("TPO_DEBUG") != null) {
                e.printStackTrace(cmd.getErr());
            }
            return 1;
        });
        return cli.execute(args);
    }

    private static boolean isInputError(Exception e) {
        return e instanceof UsageException || e instanceof InvalidModelException
                || e instanceof TokenizerException || e instanceof ChatTemplateException
                || e instanceof IllegalArgumentException || e instanceof UncheckedIOException;
    }
}
