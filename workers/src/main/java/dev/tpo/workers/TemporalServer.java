package dev.tpo.workers;

/** A Temporal server that a local stack started and stops. */
public interface TemporalServer extends AutoCloseable {
    TemporalSettings clientSettings();

    /** The Web UI's address, or null when the server has none. */
    String uiUrl();

    /** Says in a few words what it is, for the stack's start-up message. */
    String description();

    @Override
    void close();
}
