package dev.tpo.workflows;

import dev.tpo.api.Failures;
import dev.tpo.api.spec.JudgeSettings;
import dev.tpo.api.spec.TaskQueues;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * Timeouts, heartbeats, retries and task queues per kind of step. GPU steps get long start-to-close timeouts and
 * a heartbeat timeout, so a dead worker is noticed within minutes and the step is retried elsewhere, resuming from
 * its last heartbeat; input and integrity errors are never retried.
 */
final class StepOptions {
    /** Long enough for a large model to load before the first heartbeat; short enough to notice a dead node. */
    static final Duration GPU_HEARTBEAT = Duration.ofMinutes(10);

    private final TaskQueues queues;

    StepOptions(TaskQueues queues) {
        this.queues = queues;
    }

    /** Prompt selection, pairing, reports, input checks: quick, on the control queue. */
    ActivityOptions control() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(queues.control())
                .setStartToCloseTimeout(Duration.ofMinutes(30))
                .setRetryOptions(retry(Duration.ofSeconds(1), Duration.ofMinutes(1), 10))
                .build();
    }

    /** Generation, answering, reference log-probs: hours of GPU work that heartbeats. */
    ActivityOptions gpu(Duration startToClose) {
        return ActivityOptions.newBuilder()
                .setTaskQueue(queues.gpu())
                .setStartToCloseTimeout(startToClose)
                .setHeartbeatTimeout(GPU_HEARTBEAT)
                .setRetryOptions(retry(Duration.ofSeconds(10), Duration.ofMinutes(5), 20))
                .build();
    }

    /**
     * Judging runs where its judge runs: a local model needs the GPU queue; a verifier or an endpoint judge only
     * needs the network, so it stays off the GPUs. Endpoints rate-limit, so retries are patient.
     */
    ActivityOptions judge(JudgeSettings judge) {
        return ActivityOptions.newBuilder()
                .setTaskQueue(judge.needsLocalModel() ? queues.gpu() : queues.control())
                .setStartToCloseTimeout(Duration.ofHours(12))
                .setHeartbeatTimeout(GPU_HEARTBEAT)
                .setRetryOptions(retry(Duration.ofSeconds(10), Duration.ofMinutes(10), 30))
                .build();
    }

    private static RetryOptions retry(Duration initial, Duration max, int attempts) {
        return RetryOptions.newBuilder()
                .setInitialInterval(initial)
                .setBackoffCoefficient(2.0)
                .setMaximumInterval(max)
                .setMaximumAttempts(attempts)
                .setDoNotRetry(Failures.INVALID_INPUT, Failures.ARTIFACT_INTEGRITY)
                .build();
    }
}
