package dev.tpo.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tpo bench ...}: benchmarks that print numbers (committed in BENCHMARKS.md), never timed tests. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks that print their numbers.",
        subcommands = {EngineBenchCommand.class, SideBySideBenchCommand.class})
final class BenchCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.err);
    }
}
