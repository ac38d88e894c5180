package dev.tpo.artifacts;

/** Nothing is stored at a URI (or a folder there has no listing, so it is not complete). */
public class ArtifactNotFoundException extends ArtifactStoreException {
    private final String uri;

    public ArtifactNotFoundException(String uri, String detail) {
        super("artifact not found: " + uri + (detail.isEmpty() ? "" : " (" + detail + ")"));
        this.uri = uri;
    }

    public ArtifactNotFoundException(String uri, Throwable cause) {
        super("artifact not found: " + uri, cause);
        this.uri = uri;
    }

    public String uri() {
        return uri;
    }
}
