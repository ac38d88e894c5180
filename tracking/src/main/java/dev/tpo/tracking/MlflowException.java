package dev.tpo.tracking;

/**
 * A tracking server call that failed. {@link #retryable()} tells a transient failure (the server unreachable, 5xx,
 * 429) from one that the same call cannot fix (bad credentials, an invalid value, a missing resource).
 */
public final class MlflowException extends RuntimeException {
    private final int status;
    private final String errorCode;
    private final boolean retryable;

    public MlflowException(String message, int status, String errorCode, boolean retryable, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
        this.retryable = retryable;
    }

    /** HTTP status, 0 when no response came. */
    public int status() {
        return status;
    }

    /** MLflow's error code (RESOURCE_DOES_NOT_EXIST, INVALID_PARAMETER_VALUE, ...), or "" when none was sent. */
    public String errorCode() {
        return errorCode;
    }

    public boolean retryable() {
        return retryable;
    }
}
