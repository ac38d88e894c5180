package dev.tpo.tracking;

import java.util.Map;

/**
 * An MLflow run as the server describes it.
 *
 * @param artifactUri where its artifacts go, e.g. mlflow-artifacts:/1/{run id}/artifacts when the server proxies them
 * @param tags        every tag, MLflow's own (mlflow.runName, ...) included
 * @param params      every logged parameter
 */
public record MlflowRunInfo(
        String runId,
        String experimentId,
        String runName,
        String status,
        String artifactUri,
        Map<String, String> tags,
        Map<String, String> params) {
    public MlflowRunInfo {
        tags = Map.copyOf(tags);
        params = Map.copyOf(params);
    }
}
