package dev.tpo.activities;

import io.temporal.activity.ActivityExecutionContext;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Heartbeats an activity's latest progress: at once when the step reaches a resumable point, and every
 * {@code every} in between, so a single long model call never outlasts the heartbeat timeout. A failure of a
 * background heartbeat (the activity was cancelled or timed out) is rethrown on the step's own thread.
 */
final class HeartbeatPump implements AutoCloseable {
    private final ActivityExecutionContext context;
    private final ScheduledExecutorService timer;
    private volatile Object latest;
    private volatile RuntimeException failure;

    HeartbeatPump(ActivityExecutionContext context, Duration every) {
        this.context = context;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "heartbeat-" + context.getInfo().getActivityId());
            t.setDaemon(true);
            return t;
        });
        long millis = every.toMillis();
        timer.scheduleAtFixedRate(this::beatLatest, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Heartbeats now, from the step's thread: a resumable point was reached. */
    void beat(Object details) {
        rethrowIfFailed();
        latest = details;
        context.heartbeat(details);
    }

    /** Progress within a long piece of work, sent by the next periodic heartbeat. */
    void update(Object details) {
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
            context.heartbeat(details);
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
