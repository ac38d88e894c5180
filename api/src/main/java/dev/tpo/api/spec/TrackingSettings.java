package dev.tpo.api.spec;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * Experiment tracking of a run in MLflow: parameters (the spec), DPO metrics per step, evaluation and pairing
 * metrics per iteration, and the run report as an artifact. Off unless the spec has a {@code tracking} object.
 *
 * <p>The spec, not the worker, turns tracking on and says where: whether and where a run is tracked is part of what
 * the run is, so it is validated with the other fields before any GPU work, recorded in history with the spec, and
 * the same on every worker that picks up a step. Credentials are the worker's, in MLflow's own variables
 * ({@code MLFLOW_TRACKING_TOKEN}, or {@code MLFLOW_TRACKING_USERNAME} and {@code MLFLOW_TRACKING_PASSWORD}), and never
 * appear in a spec, history or log.
 *
 * @param mlflowUri  the tracking server's base URL, e.g. http://mlflow:5000 (required)
 * @param experiment the MLflow experiment the run goes into, created when missing (default tpo)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TrackingSettings(String mlflowUri, String experiment) {
    public TrackingSettings {
        experiment = experiment == null ? "tpo" : experiment;
    }

    void validate(SpecProblems p, String path) {
        String field = path + ".mlflow_uri";
        if (mlflowUri == null || mlflowUri.isBlank()) {
            p.add(field, "is required (the MLflow tracking server's URL, e.g. http://mlflow:5000)");
        } else {
            try {
                URI uri = new URI(mlflowUri);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    p.add(field, "'" + mlflowUri + "' is not an http:// or https:// URL with a host");
                } else if (uri.getRawUserInfo() != null) {
                    // Said without echoing the URL, which holds the secret.
                    p.add(
                            field,
                            "must not carry credentials; put them in the worker's MLFLOW_TRACKING_TOKEN or "
                                    + "MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD, never in the spec");
                } else if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                    p.add(field, "'" + mlflowUri + "' must be a base URL without query or fragment");
                }
            } catch (URISyntaxException e) {
                p.add(field, "is not a valid URL: " + e.getReason());
            }
        }
        if (experiment.isBlank()
                || experiment.length() > 256
                || experiment.chars().anyMatch(Character::isISOControl)) {
            p.add(path + ".experiment", "must be 1-256 characters without control characters");
        }
    }
}
