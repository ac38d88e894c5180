package dev.tpo.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** One {@code tpo} invocation in this JVM: its exit code and what it printed. */
record CommandOutput(int exitCode, String out, String err) {
    static CommandOutput run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TpoCommand.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new CommandOutput(code, out.toString(), err.toString());
    }

    /**
     * As the launcher runs it: {@link TpoCommand#execute(String...)} on the process's own stdout and stderr (here
     * captured), and whatever has not reached them when it returns is read as lost, since {@code main} exits then.
     */
    static synchronized CommandOutput onConsole(String... args) {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, false, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, false, StandardCharsets.UTF_8));
        int code;
        try {
            code = TpoCommand.execute(args);
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        return new CommandOutput(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
}
