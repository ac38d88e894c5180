package dev.tpo.activities.heartbeat;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tpo.api.ArtifactRef;

/**
 * Heartbeat details of training: the newest checkpoint stored in the artifact store, which a retry resumes from.
 *
 * @param checkpoint null until the first checkpoint is stored
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TrainProgress(int step, int totalSteps, ArtifactRef checkpoint) {}
