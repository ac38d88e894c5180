package dev.tpo.api;

/**
 * Temporal failure types shared by activities (which throw them) and workflows (which list the non-retryable
 * ones). An input error will fail the same way on every attempt, so retrying it only hides it.
 */
public final class Failures {
    /** Bad user input: a spec field, a prompt file line, a model folder. Never retried. */
    public static final String INVALID_INPUT = "TpoInvalidInput";
    /** An artifact whose bytes no longer match its recorded digest. Never retried: someone changed the store. */
    public static final String ARTIFACT_INTEGRITY = "TpoArtifactIntegrity";

    private Failures() {
    }
}
