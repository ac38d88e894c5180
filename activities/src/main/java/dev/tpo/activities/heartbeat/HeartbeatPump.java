package dev.tpo.activities.heartbeat;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityWorkerShutdownException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Heartbeats an activity's latest progress: at once when the step reaches a resumable point, and in between every
 * {@code every} or a quarter of the activity's heartbeat timeout, whichever is shorter, so neither a long model call
 * nor a model load outlasts the heartbeat timeout, however short a run spec sets it (Temporal's SDK coalesces the
 * extra beats). Heartbeating starts with the pump, from the initial details, so a step is alive from its first
 * second; only a dead process (or a cancelled attempt) stops it. A failure of a background heartbeat (the activity
 * was cancelled or timed out) is rethrown on the step's own thread.
 *
 * <p>A worker that is shutting down (SIGTERM) takes no more heartbeats: Temporal's SDK throws
 * {@link ActivityWorkerShutdownException} from then on. That is not a failure of the step: it goes on, and stops at
 * its next resumable point ({@link WorkerDrain}) or finishes and reports its result within the shutdown grace.
 * Failing it there threw away finished work and delayed the retry by the step's backoff instead of the drain's.
 */
public final class HeartbeatPump implements AutoCloseable {
    private final ActivityExecutionContext context;
    private final ScheduledExecutorService timer;
    private volatile Object latest;
    private volatile RuntimeException failure;
    private volatile boolean workerShuttingDown;

    HeartbeatPump(ActivityExecutionContext context, Duration every) {
        this(context, every, null);
    }

    /** @param initial what to heartbeat until the step reports progress (null: nothing until then) */
    public HeartbeatPump(ActivityExecutionContext context, Duration every, Object initial) {
        this.context = context;
        this.latest = initial;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "heartbeat-" + context.getInfo().getActivityId());
            t.setDaemon(true);
            return t;
        });
        long millis = periodMillis(every, context.getInfo().getHeartbeatTimeout());
        timer.scheduleAtFixedRate(this::beatLatest, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs a step that reports no progress of its own (the control steps), heartbeating {@code details} while it
     * runs: the step has a heartbeat timeout like every other, so a step whose worker died moves on after it.
     */
    public static <T> T keepAlive(Duration every, Object details, Supplier<T> body) {
        try (HeartbeatPump pump = new HeartbeatPump(Activity.getExecutionContext(), every, details)) {
            T result = body.get();
            pump.rethrowIfFailed();
            return result;
        }
    }

    /** {@code every}, or a quarter of the heartbeat timeout where that is shorter (zero: the activity has none). */
    static long periodMillis(Duration every, Duration heartbeatTimeout) {
        long millis = every.toMillis();
        if (heartbeatTimeout != null && heartbeatTimeout.toMillis() > 0) {
            millis = Math.min(millis, Math.max(50, heartbeatTimeout.toMillis() / 4));
        }
        return millis;
    }

    /** Heartbeats now, from the step's thread: a resumable point was reached. */
    public void beat(Object details) {
        rethrowIfFailed();
        latest = details;
        send(details);
    }

    /** Progress within a long piece of work, sent by the next periodic heartbeat. */
    public void update(Object details) {
        latest = details;
    }

    void rethrowIfFailed() {
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
    }

    private void beatLatest() {
        Object details = latest;
        if (details == null || failure != null) {
            return;
        }
        try {
            send(details);
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    private void send(Object details) {
        if (workerShuttingDown) {
            return;
        }
        try {
            context.heartbeat(details);
        } catch (ActivityWorkerShutdownException e) {
            workerShuttingDown = true;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
