package dev.tpo.cli;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TerminatedFailure;
import io.temporal.failure.TimeoutFailure;
import java.util.ArrayList;
import java.util.List;

/**
 * A Temporal failure as one line, outermost first: which iteration, which step, then the root cause's own words.
 * Temporal wraps the cause once per layer and repeats ids and retry states in each message, which buries it.
 */
final class FailureChain {
    private FailureChain() {}

    static String describe(Throwable failure) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ChildWorkflowFailure child) {
                parts.add(child.getExecution().getWorkflowId());
            } else if (t instanceof ActivityFailure activity) {
                parts.add(activity.getActivityType() + " (attempts exhausted or not retryable: "
                        + activity.getRetryState()
                                .name()
                                .replace("RETRY_STATE_", "")
                                .toLowerCase() + ")");
            } else if (t instanceof ApplicationFailure app) {
                parts.add(app.getOriginalMessage()
                        + (app.getType() == null || app.getType().isEmpty() ? "" : " [" + app.getType() + "]"));
            } else if (t instanceof TimeoutFailure timeout) {
                parts.add("timed out ("
                        + timeout.getTimeoutType()
                                .name()
                                .replace("TIMEOUT_TYPE_", "")
                                .toLowerCase() + ")");
            } else if (t instanceof TerminatedFailure) {
                parts.add("terminated");
            } else if (t instanceof CanceledFailure) {
                parts.add("canceled");
            } else if (t instanceof TemporalFailure temporal) {
                parts.add(temporal.getOriginalMessage());
            } else if (t.getCause() == null) {
                parts.add(String.valueOf(t.getMessage()));
            }
        }
        return String.join(": ", parts);
    }
}
