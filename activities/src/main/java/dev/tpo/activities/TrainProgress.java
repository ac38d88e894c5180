package dev.tpo.activities;

import dev.tpo.api.ArtifactRef;

/**
 * Heartbeat details of training: the newest checkpoint stored in the artifact store, which a retry resumes from.
 *
 * @param checkpoint null until the first checkpoint is stored
 */
public record TrainProgress(int step, int totalSteps, ArtifactRef checkpoint) {
}
