package dev.tpo.tracking;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;

/**
 * How a worker authenticates to the tracking server, from MLflow's own environment variables so a team's existing
 * set-up works unchanged: {@code MLFLOW_TRACKING_TOKEN} (a bearer token) or {@code MLFLOW_TRACKING_USERNAME} with
 * {@code MLFLOW_TRACKING_PASSWORD} (basic auth, as MLflow's built-in auth app uses). The secret stays inside: no
 * accessor returns it and {@link #toString()} names only the kind.
 */
public final class MlflowCredentials {
    public static final String TOKEN = "MLFLOW_TRACKING_TOKEN";
    public static final String USERNAME = "MLFLOW_TRACKING_USERNAME";
    public static final String PASSWORD = "MLFLOW_TRACKING_PASSWORD";

    private final String kind;
    private final String header;

    private MlflowCredentials(String kind, String header) {
        this.kind = kind;
        this.header = header;
    }

    public static MlflowCredentials none() {
        return new MlflowCredentials("none", null);
    }

    /** From the environment (a map lookup in tests); a username without a password is an error naming both. */
    public static MlflowCredentials from(Function<String, String> env) {
        String token = blankToNull(env.apply(TOKEN));
        if (token != null) {
            return new MlflowCredentials("bearer token from " + TOKEN, "Bearer " + token);
        }
        String user = blankToNull(env.apply(USERNAME));
        String password = blankToNull(env.apply(PASSWORD));
        if (user == null && password == null) {
            return none();
        }
        if (user == null || password == null) {
            throw new IllegalArgumentException(USERNAME + " and " + PASSWORD + " go together; only "
                    + (user == null ? PASSWORD : USERNAME) + " is set on this worker");
        }
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new MlflowCredentials("basic auth of " + USERNAME, "Basic " + basic);
    }

    /** The Authorization header's value, if any; only the HTTP client reads it. */
    Optional<String> authorization() {
        return Optional.ofNullable(header);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    @Override
    public String toString() {
        return kind;
    }
}
