package dev.tpo.workers;

import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The attempt of an activity that closed it, as the workflow's history has it: Temporal records only an activity's
 * last attempt (its number, the worker that started it and when it closed), so an attempt above 1 is a retry and
 * the worker says where it ran.
 *
 * @param activity the activity type, e.g. {@code Judge}
 * @param attempt  the closing attempt's number, from 1
 * @param worker   the identity ({@code pid@host}) of the worker that started it
 * @param startedAt when that attempt started
 * @param closedAt when it completed or failed
 */
record StepAttempt(String activity, int attempt, String worker, Instant startedAt, Instant closedAt) {

    /** Every closed activity of {@code workflowId}, in the order they were scheduled. */
    static List<StepAttempt> read(WorkflowClient client, String workflowId) {
        Map<Long, String> types = new HashMap<>();
        Map<Long, HistoryEvent> started = new HashMap<>();
        List<StepAttempt> out = new ArrayList<>();
        for (HistoryEvent e : client.fetchHistory(workflowId).getEvents()) {
            if (e.hasActivityTaskScheduledEventAttributes()) {
                types.put(
                        e.getEventId(),
                        e.getActivityTaskScheduledEventAttributes()
                                .getActivityType()
                                .getName());
            } else if (e.hasActivityTaskStartedEventAttributes()) {
                started.put(e.getActivityTaskStartedEventAttributes().getScheduledEventId(), e);
            } else if (e.hasActivityTaskCompletedEventAttributes()) {
                out.add(of(
                        types,
                        started,
                        e.getActivityTaskCompletedEventAttributes().getScheduledEventId(),
                        e));
            } else if (e.hasActivityTaskFailedEventAttributes()) {
                out.add(of(
                        types, started, e.getActivityTaskFailedEventAttributes().getScheduledEventId(), e));
            } else if (e.hasActivityTaskTimedOutEventAttributes()) {
                out.add(of(
                        types,
                        started,
                        e.getActivityTaskTimedOutEventAttributes().getScheduledEventId(),
                        e));
            }
        }
        return out;
    }

    private static StepAttempt of(
            Map<Long, String> types, Map<Long, HistoryEvent> started, long scheduledId, HistoryEvent closed) {
        HistoryEvent start = started.get(scheduledId);
        var attributes = start == null ? null : start.getActivityTaskStartedEventAttributes();
        return new StepAttempt(
                types.get(scheduledId),
                attributes == null ? 0 : attributes.getAttempt(),
                attributes == null ? "" : attributes.getIdentity(),
                start == null ? null : instant(start),
                instant(closed));
    }

    private static Instant instant(HistoryEvent e) {
        return Instant.ofEpochSecond(
                e.getEventTime().getSeconds(), e.getEventTime().getNanos());
    }

    @Override
    public String toString() {
        return activity + "#" + attempt + "@" + worker.replaceAll("@.*", "") + " "
                + (startedAt == null ? "?" : (closedAt.toEpochMilli() - startedAt.toEpochMilli()) + " ms");
    }
}
