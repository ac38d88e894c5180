package dev.tpo.api.steps;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Which run a step belongs to and where its artifacts go: {@code {artifactRoot}runs/{runId}/...}.
 *
 * @param runId        the run workflow's id
 * @param artifactRoot s3://bucket/prefix/ or file:///path/ (ends with '/')
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunContext(String runId, String artifactRoot) {
    /**
     * Why {@code runId} (the run workflow's id, typed into the Web UI) cannot name a run's folder, or null when it
     * can: it becomes a path segment under runs/, so separators and '..' would write elsewhere.
     */
    public static String runIdProblem(String runId) {
        if (runId == null || !runId.matches("[A-Za-z0-9._-]{1,200}") || runId.contains("..")) {
            return "the workflow id '" + runId + "' is not a valid run id: use 1-200 letters, digits, '.', '_' or '-', "
                    + "without '/', '\\' or '..' (it names the run's folder runs/{run id}/)";
        }
        return null;
    }

    /** The key prefix of one iteration's artifacts; iteration 0 holds run-level work (inputs, seed evaluation). */
    public String iterationPrefix(int iteration) {
        return "runs/" + runId + "/iter-" + iteration + "/";
    }

    public String runPrefix() {
        return "runs/" + runId + "/";
    }

    /** Where the run's manifest (one object per artifact, its lineage) lives. */
    public String manifestUri() {
        return artifactRoot + runPrefix() + "manifest/";
    }
}
