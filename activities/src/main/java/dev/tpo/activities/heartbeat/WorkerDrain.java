package dev.tpo.activities.heartbeat;

import dev.tpo.api.Failures;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;

/**
 * Set when the worker process is asked to stop (SIGTERM: a pod eviction, a spot instance's notice). Long model steps
 * then end at their next resumable point instead of running on until the shutdown grace runs out: training saves and
 * stores a checkpoint of its current step, generation stops after its current chunk, and both fail the attempt as
 * retryable, so Temporal hands the step to another worker at once (not after the heartbeat timeout) and it resumes
 * there. The process then exits with no model code running, which libtorch's exit handlers need.
 */
public final class WorkerDrain {
    /** The failure type of an attempt that a draining worker ended. */
    public static final String TYPE = Failures.WORKER_DRAINING;

    /**
     * A drained attempt is retried after this, not after the step's retry backoff (10 s, doubling per attempt): the
     * step did not fail, its worker left, and the other workers are ready now.
     */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private volatile boolean requested;

    public void request() {
        requested = true;
    }

    public boolean requested() {
        return requested;
    }

    /** The failure a draining step ends its attempt with: retryable, and it says where the retry resumes. */
    public static ApplicationFailure stopped(String step, String resumesFrom) {
        return ApplicationFailure.newFailureWithCauseAndDelay(
                step + ": the worker is shutting down; the retry " + "resumes from " + resumesFrom,
                TYPE,
                null,
                RETRY_AFTER);
    }
}
