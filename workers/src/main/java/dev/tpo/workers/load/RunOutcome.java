package dev.tpo.workers.load;

import dev.tpo.api.steps.RunResult;
import java.time.Instant;

/**
 * How one of several concurrent runs ended, as its client saw it.
 *
 * @param result  the run's result; null when it failed
 * @param failure the failure's chain of causes; null when it completed
 */
public record RunOutcome(String runId, Instant started, Instant ended, RunResult result, String failure) {
    public boolean completed() {
        return result != null && "completed".equals(result.status());
    }
}
