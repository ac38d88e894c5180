package dev.tpo.api.activities;

import dev.tpo.api.steps.TrackedRun;
import dev.tpo.api.steps.TrackingStart;
import dev.tpo.api.steps.TrackingUpdate;
import io.temporal.activity.ActivityInterface;

/**
 * Control queue: experiment tracking of a run in MLflow (when its spec asks for it). Every call is idempotent, so
 * Temporal may retry it: the MLflow run is found by a tag holding the workflow id before one is created, and logged
 * values carry timestamps from workflow time, so sending them again adds nothing.
 */
@ActivityInterface
public interface TrackingActivity {
    /** Finds or creates the MLflow run (tagged with the workflow id) and logs the spec as its parameters. */
    TrackedRun startTracking(TrackingStart input);

    /** Logs the metrics of the seed evaluation and every finished iteration not logged yet. */
    void trackIterations(TrackingUpdate input);

    /** Logs what is left, the run report as artifacts, and ends the MLflow run with the run's status. */
    void finishTracking(TrackingUpdate input);
}
