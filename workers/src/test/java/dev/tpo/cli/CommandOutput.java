package dev.tpo.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One {@code tpo} invocation in this JVM: its exit code and what it printed. */
record CommandOutput(int exitCode, String out, String err) {
    static CommandOutput run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TpoCommand.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new CommandOutput(code, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
}
