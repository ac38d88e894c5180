package dev.tpo.workers;

import dev.tpo.workflows.TpoIterationWorkflowImpl;
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

    private final WorkflowClient client;
    private final WorkerSettings settings;
    private final StepImplementations steps;
    private WorkerFactory factory;

    @Inject
    public TpoWorker(WorkflowClient client, WorkerSettings settings, StepImplementations steps) {
        this.client = client;
        this.settings = settings;
        this.steps = steps;
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
            TpoRunWorkflowImpl.warmUp();
        }
        factory = WorkerFactory.newInstance(client);
        if (settings.role().servesControl()) {
            Worker control = factory.newWorker(
                    settings.queues().control(),
                    WorkerOptions.newBuilder()
                            .setMaxHeartbeatThrottleInterval(HEARTBEAT_THROTTLE)
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
