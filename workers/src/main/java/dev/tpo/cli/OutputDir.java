package dev.tpo.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * A required {@code --output DIR} (the name TRL and transformers use for where a run writes). {@code --out}, the
 * old spelling of some commands, is still accepted but hidden from the help, so that scripts keep working. Used as
 * {@code @ArgGroup(exclusive = true, multiplicity = "1")}: exactly one of the two.
 */
final class OutputDir {
    @Option(names = "--output", required = true, paramLabel = "DIR", description = "the folder to write")
    Path dir;

    @Option(
            names = "--out",
            required = true,
            hidden = true,
            paramLabel = "DIR",
            description = "old spelling of --output")
    void out(Path value) {
        dir = value;
    }
}
