package dev.tpo.model;

/**
 * A model folder, config or input that the engine cannot use as given. The message names the file, field or line
 * so the CLI can print it as the single error line and exit non-zero.
 */
public class InvalidModelException extends RuntimeException {
    public InvalidModelException(String message) {
        super(message);
    }

    public InvalidModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
