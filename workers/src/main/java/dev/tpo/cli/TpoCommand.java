package dev.tpo.cli;

import dev.tpo.model.InvalidModelException;
import dev.tpo.model.tokenizer.ChatTemplateException;
import dev.tpo.model.tokenizer.TokenizerException;
import dev.tpo.workers.codec.PayloadKeyException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code tpo} command: the entry point of the launcher script at the repository root. */
@Command(
        name = "tpo",
        mixinStandardHelpOptions = true,
        version = "tpo 0.1.0",
        description = "Thought Preference Optimization: model engine, training and the Temporal pipeline.",
        subcommands = {
            DemoCommand.class,
            ModelCommand.class,
            TrainCommand.class,
            BenchCommand.class,
            ValidateCommand.class,
            DevStackCommand.class,
            WorkerCommand.class,
            StartCommand.class,
            StatusCommand.class,
            WaitCommand.class,
            HistoryCommand.class,
            PauseCommand.class,
            ResumeCommand.class,
            StopCommand.class,
            ListCommand.class,
            CodecServerCommand.class
        })
public final class TpoCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", "true");
        System.exit(execute(args));
    }

    /**
     * Runs a command line on the console and returns its exit code: 0 done, 2 bad input (one error line), 1
     * anything else. Everything printed is flushed before it returns: {@link #main} exits right after, and picocli's
     * own console writers flush on println only, so a command's last {@code print} (the iteration table of
     * {@code status}, the artifact table of {@code history}) would be lost with the process.
     */
    public static int execute(String... args) {
        // The process's own streams, here at the edge only: every command prints through the writers given to
        // picocli (CommandSpec.commandLine().getOut()/getErr()), which tests replace.
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** As {@link #execute(String...)}, writing to the given streams (tests read what a command printed). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new TpoCommand());
        cli.setOut(out);
        cli.setErr(err);
        try {
            return run(cli, args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static int run(CommandLine cli, String... args) {
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (isInputError(e)) {
                cmd.getErr().println("error: " + e.getMessage());
                return 2;
            }
            PayloadKeyException keys = payloadKeyProblem(e);
            if (keys != null) {
                // Wrapped by the SDK (a query, a result): its message is the one that says what to set.
                cmd.getErr().println("error: " + keys.getMessage());
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

    private static PayloadKeyException payloadKeyProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PayloadKeyException keys) {
                return keys;
            }
        }
        return null;
    }

    private static boolean isInputError(Exception e) {
        return e instanceof UsageException
                || e instanceof InvalidModelException
                || e instanceof TokenizerException
                || e instanceof ChatTemplateException
                || e instanceof IllegalArgumentException
                || e instanceof UncheckedIOException;
    }
}
