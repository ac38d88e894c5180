package dev.tpo.artifacts;

/** A store operation failed; the message names the URI or key involved. */
public class ArtifactStoreException extends RuntimeException {
    public ArtifactStoreException(String message) {
        super(message);
    }

    public ArtifactStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
