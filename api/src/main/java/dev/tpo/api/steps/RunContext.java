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
