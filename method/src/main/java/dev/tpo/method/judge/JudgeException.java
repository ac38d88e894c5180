package dev.tpo.method.judge;

/**
 * A judge that could not score. Transient failures (an {@link EndpointUnavailableException}: an endpoint that
 * kept timing out, refusing, rate-limiting, failing or answering garbage through the backend's own retries) may
 * succeed if the step is retried later; permanent ones (bad configuration, a 4xx, a task the judge cannot handle)
 * will not.
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
