package dev.tpo.train;

import java.nio.file.Path;

/** A training-data line that cannot be used; the message names the file and the 1-based line. */
public final class DataFormatException extends RuntimeException {
    public DataFormatException(Path file, long line, String problem) {
        super(file + ":" + line + ": " + problem);
    }

    public DataFormatException(Path file, long line, String problem, Throwable cause) {
        super(file + ":" + line + ": " + problem, cause);
    }
}
