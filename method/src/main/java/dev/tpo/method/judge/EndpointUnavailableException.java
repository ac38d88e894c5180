package dev.tpo.method.judge;

/**
 * A judge endpoint that kept failing one request through all of the backend's own retries: timeouts, refused or
 * reset connections, 408, 429, 5xx, or a 200 whose body is not a chat completion. Transient: the endpoint may come
 * back, so the step that called it is retried, until its budget of step attempts is spent.
 */
public final class EndpointUnavailableException extends JudgeException {
    private final String endpoint;
    private final int requests;
    private final String lastFailure;

    /**
     * @param endpoint    {@link EndpointSettings#address()}: never a key
     * @param requests    how many times the failing request was sent (1 + the retries made)
     * @param lastFailure what the last try got, e.g. {@code status 503: 'upstream down'}
     */
    public EndpointUnavailableException(String endpoint, int requests, String lastFailure, Throwable cause) {
        super(endpoint + " failed after " + requests + " requests, last: " + lastFailure, true, cause);
        this.endpoint = endpoint;
        this.requests = requests;
        this.lastFailure = lastFailure;
    }

    public String endpoint() {
        return endpoint;
    }

    public int requests() {
        return requests;
    }

    public String lastFailure() {
        return lastFailure;
    }
}
