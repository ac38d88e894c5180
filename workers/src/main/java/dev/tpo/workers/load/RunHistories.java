package dev.tpo.workers.load;

import com.google.protobuf.Timestamp;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the workflow histories of finished runs say about how the pipeline behaved under load: workflow tasks that
 * failed or timed out (the SDK's deadlock detector fails a task whose workflow code holds its thread over a second),
 * how long workflow tasks took, and how long steps waited for a worker.
 */
public final class RunHistories {
    private final List<WorkflowExecutionHistory> histories;

    public RunHistories(List<WorkflowExecutionHistory> histories) {
        this.histories = List.copyOf(histories);
    }

    /** The histories of these runs and of every child workflow they started (their iterations). */
    public static RunHistories fetch(WorkflowClient client, List<String> runIds) {
        List<WorkflowExecutionHistory> out = new ArrayList<>();
        List<String> workflows = new ArrayList<>(runIds);
        for (int i = 0; i < workflows.size(); i++) {
            WorkflowExecutionHistory history = client.fetchHistory(workflows.get(i));
            out.add(history);
            for (HistoryEvent event : history.getEvents()) {
                if (event.hasStartChildWorkflowExecutionInitiatedEventAttributes()) {
                    workflows.add(event.getStartChildWorkflowExecutionInitiatedEventAttributes()
                            .getWorkflowId());
                }
            }
        }
        return new RunHistories(out);
    }

    public List<WorkflowExecutionHistory> histories() {
        return histories;
    }

    /**
     * Failed workflow tasks, one line each (workflow, event id, cause, message): what workflow code that throws, or
     * holds its thread past the SDK's deadlock detection, leaves in a history. Left out: {@code UNHANDLED_COMMAND},
     * the server refusing a completion because new events (a signal, a finished step) arrived meanwhile, which the
     * SDK answers with a fresh task: a race, not a failure of the workflow code.
     */
    public List<String> failedWorkflowTasks() {
        List<String> out = new ArrayList<>();
        for (WorkflowExecutionHistory h : histories) {
            String id = h.getWorkflowExecution().getWorkflowId();
            for (HistoryEvent e : h.getEvents()) {
                if (e.hasWorkflowTaskFailedEventAttributes()
                        && e.getWorkflowTaskFailedEventAttributes().getCause()
                                != WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND) {
                    var a = e.getWorkflowTaskFailedEventAttributes();
                    out.add(id + " event " + e.getEventId() + ": " + a.getCause() + ": "
                            + a.getFailure().getMessage());
                }
            }
        }
        return out;
    }

    /**
     * Workflow tasks whose completion did not reach the server within their start-to-close timeout (10 s), one
     * line each with the worker that had started them. The SDK also leaves a task it fails a second time to time out
     * this way, rather than report it.
     */
    public List<String> timedOutWorkflowTasks() {
        List<String> out = new ArrayList<>();
        for (WorkflowExecutionHistory h : histories) {
            String id = h.getWorkflowExecution().getWorkflowId();
            for (HistoryEvent e : h.getEvents()) {
                if (e.hasWorkflowTaskTimedOutEventAttributes()
                        && e.getWorkflowTaskTimedOutEventAttributes().getTimeoutType()
                                == TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE) {
                    HistoryEvent started = h.getEvents()
                            .get((int) e.getWorkflowTaskTimedOutEventAttributes()
                                            .getStartedEventId()
                                    - 1);
                    out.add(id + " event " + e.getEventId() + ", started on "
                            + started.getWorkflowTaskStartedEventAttributes().getIdentity());
                }
            }
        }
        return out;
    }

    /**
     * Workflow tasks that waited over the sticky queue's schedule-to-start timeout (5 s) for the worker that had
     * the workflow cached, and went to the shared queue instead: a worker too busy to poll, not a failure.
     */
    public int stickyQueueTimeouts() {
        int n = 0;
        for (WorkflowExecutionHistory h : histories) {
            for (HistoryEvent e : h.getEvents()) {
                if (e.hasWorkflowTaskTimedOutEventAttributes()
                        && e.getWorkflowTaskTimedOutEventAttributes().getTimeoutType()
                                == TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * Workflow-task processing time on the worker (started to completed), per workflow type; with {@code firstOnly}
     * only each workflow's first task, the one that pays any first-use work of the workflow code.
     */
    public Map<String, List<Duration>> workflowTaskTimes(boolean firstOnly) {
        Map<String, List<Duration>> out = new TreeMap<>();
        for (WorkflowExecutionHistory h : histories) {
            String type = h.getEvents()
                    .get(0)
                    .getWorkflowExecutionStartedEventAttributes()
                    .getWorkflowType()
                    .getName();
            Instant started = null;
            for (HistoryEvent e : h.getEvents()) {
                if (e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED) {
                    started = instant(e.getEventTime());
                } else if (e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED && started != null) {
                    out.computeIfAbsent(type, k -> new ArrayList<>())
                            .add(Duration.between(started, instant(e.getEventTime())));
                    started = null;
                    if (firstOnly) {
                        break;
                    }
                }
            }
        }
        return out;
    }

    /**
     * Schedule-to-start latency per activity type: from the step's ActivityTaskScheduled event to its
     * ActivityTaskStarted, the time it waited in the task queue for a free worker. Only steps that started on their
     * first attempt count: a retry's wait includes its backoff.
     */
    public Map<String, List<Duration>> scheduleToStart() {
        Map<String, List<Duration>> out = new TreeMap<>();
        for (WorkflowExecutionHistory h : histories) {
            Map<Long, HistoryEvent> scheduled = new HashMap<>();
            for (HistoryEvent e : h.getEvents()) {
                if (e.hasActivityTaskScheduledEventAttributes()) {
                    scheduled.put(e.getEventId(), e);
                } else if (e.hasActivityTaskStartedEventAttributes()
                        && e.getActivityTaskStartedEventAttributes().getAttempt() == 1) {
                    HistoryEvent s = scheduled.get(
                            e.getActivityTaskStartedEventAttributes().getScheduledEventId());
                    out.computeIfAbsent(
                                    s.getActivityTaskScheduledEventAttributes()
                                            .getActivityType()
                                            .getName(),
                                    k -> new ArrayList<>())
                            .add(Duration.between(instant(s.getEventTime()), instant(e.getEventTime())));
                }
            }
        }
        return out;
    }

    /**
     * The span from the first scheduled to the last completed activity of the given types, over all histories:
     * the wall time of those steps as the pipeline ran them, queueing and hand-offs included.
     */
    public Duration span(List<String> activityTypes) {
        Instant first = null;
        Instant last = null;
        for (WorkflowExecutionHistory h : histories) {
            Map<Long, String> typeOf = new HashMap<>();
            for (HistoryEvent e : h.getEvents()) {
                Instant t = instant(e.getEventTime());
                if (e.hasActivityTaskScheduledEventAttributes()) {
                    String type = e.getActivityTaskScheduledEventAttributes()
                            .getActivityType()
                            .getName();
                    typeOf.put(e.getEventId(), type);
                    if (activityTypes.contains(type) && (first == null || t.isBefore(first))) {
                        first = t;
                    }
                } else if (e.hasActivityTaskCompletedEventAttributes()
                        && activityTypes.contains(typeOf.get(
                                e.getActivityTaskCompletedEventAttributes().getScheduledEventId()))
                        && (last == null || t.isAfter(last))) {
                    last = t;
                }
            }
        }
        if (first == null || last == null) {
            throw new IllegalStateException("no completed " + activityTypes + " activity in the histories");
        }
        return Duration.between(first, last);
    }

    /** How many activities of {@code type} completed, over all histories. */
    public int completed(String type) {
        int n = 0;
        for (WorkflowExecutionHistory h : histories) {
            Map<Long, String> typeOf = new HashMap<>();
            for (HistoryEvent e : h.getEvents()) {
                if (e.hasActivityTaskScheduledEventAttributes()) {
                    typeOf.put(
                            e.getEventId(),
                            e.getActivityTaskScheduledEventAttributes()
                                    .getActivityType()
                                    .getName());
                } else if (e.hasActivityTaskCompletedEventAttributes()
                        && type.equals(typeOf.get(
                                e.getActivityTaskCompletedEventAttributes().getScheduledEventId()))) {
                    n++;
                }
            }
        }
        return n;
    }

    private static Instant instant(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }
}
