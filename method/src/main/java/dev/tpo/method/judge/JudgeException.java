package dev.tpo.method.judge;

/**
 * A judge that could not score. Transient failures (timeouts, refused connections, 429 and 5xx after the
 * backend's own retries) may succeed if the step is retried later; permanent ones (bad configuration, a 4xx, an
 * endpoint that does not speak the protocol, a task the judge cannot handle) will not.
 */
public class JudgeException extends RuntimeException {
    private final boolean transientFailure;

    public JudgeException(String message, boolean transientFailure) {
        super(message);
        this.transientFailure = transientFailure;
    }

    public JudgeException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    public boolean isTransient() {
        return transientFailure;
    }
}
