package dev.tpo.workflows;

import dev.tpo.api.Failures;
import dev.tpo.api.spec.JudgeSettings;
import dev.tpo.api.spec.TaskQueues;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Timeouts, heartbeats, retries and task queues per kind of step. Every step has the run's heartbeat timeout (and
 * heartbeats while it works), so a dead worker is noticed within that time and the step is retried elsewhere,
 * resuming from its last heartbeat; GPU steps also get long start-to-close timeouts. What {@link Failures} classes
 * as deterministic (bad input or data, divergence, a non-finite model, integrity) is never retried.
 */
final class StepOptions {
    /** Verifier and local-model judges: what retries them is a worker or store that failed, as for GPU steps. */
    private static final int LOCAL_JUDGE_ATTEMPTS = 30;

    private final TaskQueues queues;
    private final Duration heartbeat;

    /** @param heartbeat the run spec's heartbeat_timeout_seconds: how soon a dead worker's step moves on */
    StepOptions(TaskQueues queues, Duration heartbeat) {
        this.queues = queues;
        this.heartbeat = heartbeat;
    }

    /**
     * Prompt selection, pairing, reports, input checks: quick, on the control queue. The heartbeat timeout is what
     * moves such a step on when its control worker dies; the start-to-close timeout alone would hold the run for
     * half an hour. Its ten attempts wait 1+2+4+...+32 s and then 60 s thrice between them, 243 s in all: the
     * shortest budget of any step, so an artifact store down for up to about four minutes is outlasted by every step
     * (the GPU steps' twenty attempts wait about 75 minutes, the judge's thirty hours).
     */
    ActivityOptions control() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(queues.control())
                .setStartToCloseTimeout(Duration.ofMinutes(30))
                .setHeartbeatTimeout(heartbeat)
                .setRetryOptions(retry(Duration.ofSeconds(1), Duration.ofMinutes(1), 10))
                .build();
    }

    /** Generation, answering, reference log-probs: hours of GPU work that heartbeats. */
    ActivityOptions gpu(Duration startToClose) {
        return ActivityOptions.newBuilder()
                .setTaskQueue(queues.gpu())
                .setStartToCloseTimeout(startToClose)
                .setHeartbeatTimeout(heartbeat)
                .setRetryOptions(retry(Duration.ofSeconds(10), Duration.ofMinutes(5), 20))
                .build();
    }

    /**
     * Judging runs where its judge runs: a local model needs the GPU queue; a verifier or an endpoint judge only
     * needs the network, so it stays off the GPUs. Endpoints rate-limit, so retries are patient, but bounded by the
     * spec's {@code judge.endpoint.max_step_attempts}: the step's last attempt turns an endpoint that is still
     * failing into a non-retryable failure naming it, rather than retrying a dead endpoint for hours.
     */
    ActivityOptions judge(JudgeSettings judge) {
        int attempts = judge.endpoint() != null ? judge.endpoint().maxStepAttempts() : LOCAL_JUDGE_ATTEMPTS;
        return ActivityOptions.newBuilder()
                .setTaskQueue(judge.needsLocalModel() ? queues.gpu() : queues.control())
                .setStartToCloseTimeout(Duration.ofHours(12))
                .setHeartbeatTimeout(heartbeat)
                .setRetryOptions(retry(Duration.ofSeconds(10), Duration.ofMinutes(10), attempts))
                .build();
    }

    /** An activity stub whose every call carries {@code summary}, shown beside it in the Web UI. */
    static <T> T summarised(Class<T> activity, ActivityOptions options, String summary) {
        return Workflow.newActivityStub(
                activity,
                ActivityOptions.newBuilder(options).setSummary(summary).build());
    }

    private static RetryOptions retry(Duration initial, Duration max, int attempts) {
        return RetryOptions.newBuilder()
                .setInitialInterval(initial)
                .setBackoffCoefficient(2.0)
                .setMaximumInterval(max)
                .setMaximumAttempts(attempts)
                .setDoNotRetry(Failures.nonRetryable())
                .build();
    }
}
