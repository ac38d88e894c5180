package dev.tpo.workflows;

import dev.tpo.api.ArtifactRef;
import dev.tpo.api.spec.RunSpec;
import dev.tpo.api.steps.RunContext;
import dev.tpo.api.steps.TrackingStart;
import dev.tpo.api.steps.TrackingUpdate;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.util.List;

/**
 * The run's MLflow run, for a spec that asks for tracking. Tracking is for people watching the run, so once it has
 * started a tracking server that stays away past the retries does not fail hours of training: the problem is shown
 * in the details, and the next update (every update carries everything so far) makes it good.
 */
final class RunTracking {
    private final RunContext run;
    private final RunSpec spec;
    private final RunState state;
    private final RunActivities activities;
    private final RunDisplay display;

    RunTracking(RunContext run, RunState state, RunActivities activities, RunDisplay display) {
        this.run = run;
        this.spec = state.spec;
        this.state = state;
        this.activities = activities;
        this.display = display;
    }

    /** Finds or creates the MLflow run; a server that refuses it (credentials, a bad URL) fails the run. */
    void start() {
        state.tracked = activities
                .trackingStart()
                .startTracking(new TrackingStart(run, spec, state.specSha256, Workflow.currentTimeMillis()));
    }

    /** The seed's and each finished iteration's metrics to MLflow. */
    void iterationFinished() {
        if (state.tracked == null) {
            return;
        }
        try {
            activities.trackingUpdate(state.finished.size()).trackIterations(update("running", null));
            state.trackingProblem = null;
        } catch (ActivityFailure e) {
            state.trackingProblem =
                    "MLflow logging failed after iteration " + state.finished.size() + ": " + rootMessage(e);
            display.details();
        }
    }

    /** Ends the MLflow run with the run's status (and its report, when there is one); never fails the run. */
    void finish(ArtifactRef report) {
        if (state.tracked == null) {
            return;
        }
        try {
            activities.trackingFinish(state.status).finishTracking(update(state.status, report));
        } catch (ActivityFailure e) {
            state.trackingProblem = "MLflow could not be told the run ended: " + rootMessage(e);
            display.details();
        }
    }

    private TrackingUpdate update(String runStatus, ArtifactRef report) {
        return new TrackingUpdate(
                run,
                spec.tracking(),
                state.tracked,
                state.seedResult(),
                state.seedArtifacts(),
                state.seedEvaluatedAtMillis(),
                List.copyOf(state.finished),
                runStatus,
                report,
                Workflow.currentTimeMillis());
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof ApplicationFailure a ? a.getOriginalMessage() : t.getMessage();
    }
}
