package dev.tpo.workers;

import dev.tpo.api.activities.AnswerActivity;
import dev.tpo.api.activities.EvaluateActivity;
import dev.tpo.api.activities.GenerateActivity;
import dev.tpo.api.activities.JudgeActivity;
import dev.tpo.api.activities.PairActivity;
import dev.tpo.api.activities.PrepareRunActivity;
import dev.tpo.api.activities.ReferenceLogProbsActivity;
import dev.tpo.api.activities.ReportActivity;
import dev.tpo.api.activities.SelectPromptsActivity;
import dev.tpo.api.activities.TrackingActivity;
import dev.tpo.api.activities.TrainActivity;
import dev.tpo.workflows.TpoIterationWorkflow;
import dev.tpo.workflows.TpoIterationWorkflowImpl;
import dev.tpo.workflows.TpoRunWorkflow;
import dev.tpo.workflows.TpoRunWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker process's Temporal workers: the control role serves both workflow types and the control steps on the
 * control queue; the GPU role serves the model steps on the GPU queue, at most {@code gpuConcurrency} at a time.
 */
public final class TpoWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TpoWorker.class);
    /**
     * Steps heartbeat four times per heartbeat timeout; Temporal's SDK would send at most one per 0.8 timeouts,
     * leaving a busy machine a fifth of the timeout for the send to land before the step counts as dead. Capped
     * here, the beats go out as the steps make them (at most one a second per step).
     */
    static final Duration HEARTBEAT_THROTTLE = Duration.ofSeconds(1);

    /**
     * How long workflow code may hold its thread before the SDK fails the workflow task as a potential deadlock
     * (SDK default 1 s). With the first-use work warmed up, what remains is CPU starvation: measured with 20 runs
     * started at once on 2 cores at load average 20 (LoadTest and scripts/bench-load.sh, 2026-11-30), a run's
     * first workflow task took 1.4 s at the median and 3.1 s at most from start to completion, and the very first
     * one in a fresh worker JVM (the SDK's own classes loading while the thread waited for a core) still tripped
     * the 1 s detector. 5 s: above what starvation costs there, below the 10 s workflow-task timeout, so code that
     * truly blocks still fails its task rather than timing it out.
     */
    static final Duration DEADLOCK_DETECTION = Duration.ofSeconds(5);

    /** What the workflows exchange payloads through: their own methods and every step they call. */
    static final List<Class<?>> WORKFLOW_CONTRACTS = List.of(
            TpoRunWorkflow.class,
            TpoIterationWorkflow.class,
            PrepareRunActivity.class,
            TrackingActivity.class,
            SelectPromptsActivity.class,
            GenerateActivity.class,
            JudgeActivity.class,
            PairActivity.class,
            ReferenceLogProbsActivity.class,
            TrainActivity.class,
            AnswerActivity.class,
            EvaluateActivity.class,
            ReportActivity.class);

    private final WorkflowClient client;
    private final WorkerSettings settings;
    private final StepImplementations steps;
    private final PayloadJson payloads;
    private WorkerFactory factory;

    /** @param payloads the JSON mapper of {@code client}'s data converter */
    @Inject
    public TpoWorker(WorkflowClient client, WorkerSettings settings, StepImplementations steps, PayloadJson payloads) {
        this.client = client;
        this.settings = settings;
        this.steps = steps;
        this.payloads = payloads;
    }

    /** Registers everything for the role and starts polling; returns at once. */
    public synchronized void start() {
        if (factory != null) {
            throw new IllegalStateException("worker already started");
        }
        if (settings.role().servesControl()) {
            // The workflows upsert these; without them every workflow task would fail.
            new SearchAttributeRegistry(
                            client.getWorkflowServiceStubs(),
                            client.getOptions().getNamespace())
                    .ensure();
            // First-use work that would otherwise run inside workflow tasks, under the SDK's deadlock detector.
            long t0 = System.nanoTime();
            TpoRunWorkflowImpl.warmUp();
            int types = payloads.warmUp(WORKFLOW_CONTRACTS).size();
            LOG.info("workflow code warmed up: {} payload types in {} ms", types, (System.nanoTime() - t0) / 1_000_000);
        }
        factory = WorkerFactory.newInstance(client);
        if (settings.role().servesControl()) {
            Worker control = factory.newWorker(
                    settings.queues().control(),
                    WorkerOptions.newBuilder()
                            .setMaxHeartbeatThrottleInterval(HEARTBEAT_THROTTLE)
                            .setDefaultDeadlockDetectionTimeout(DEADLOCK_DETECTION.toMillis())
                            .setAllowActivityHeartbeatDuringShutdown(true)
                            .build());
            control.registerWorkflowImplementationTypes(TpoRunWorkflowImpl.class, TpoIterationWorkflowImpl.class);
            register(control, steps.control(), "control");
        }
        if (settings.role().servesGpu()) {
            Worker gpu = factory.newWorker(
                    settings.queues().gpu(),
                    WorkerOptions.newBuilder()
                            .setMaxConcurrentActivityExecutionSize(settings.gpuConcurrency())
                            .setMaxHeartbeatThrottleInterval(HEARTBEAT_THROTTLE)
                            // A step finishing within the shutdown grace (SIGTERM) keeps heartbeating until it
                            // ends; otherwise Temporal times it out after the heartbeat timeout and runs it again.
                            .setAllowActivityHeartbeatDuringShutdown(true)
                            .build());
            register(gpu, steps.gpu(), "gpu");
        }
        factory.start();
        LOG.info(
                "worker started: role {}, control queue {}, gpu queue {}, gpu concurrency {}, namespace {}",
                settings.role().wireName(),
                settings.queues().control(),
                settings.queues().gpu(),
                settings.gpuConcurrency(),
                client.getOptions().getNamespace());
    }

    private static void register(Worker worker, List<Object> activities, String queueRole) {
        if (activities.isEmpty()) {
            // Not fatal: a control worker still runs the workflows, but their steps would wait forever.
            LOG.warn(
                    "no {} step implementations are registered: {} activities will wait for another worker",
                    queueRole,
                    queueRole);
            return;
        }
        worker.registerActivitiesImplementations(activities.toArray());
    }

    /** Stops polling and lets running activities finish for up to {@code grace}, then interrupts them. */
    public synchronized void stop(Duration grace) {
        if (factory == null) {
            return;
        }
        factory.shutdown();
        factory.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
        if (!factory.isTerminated()) {
            LOG.warn(
                    "activities still running after {}s: interrupting them; Temporal retries them elsewhere",
                    grace.toSeconds());
            factory.shutdownNow();
            factory.awaitTermination(10, TimeUnit.SECONDS);
        }
        factory = null;
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }
}
