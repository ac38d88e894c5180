package dev.tpo.method.prompts;

/** A prompt set that cannot be read; the message starts with {@code file:line:} where a line is to blame. */
public final class PromptSetException extends RuntimeException {
    public PromptSetException(String message) {
        super(message);
    }

    public PromptSetException(String message, Throwable cause) {
        super(message, cause);
    }
}
