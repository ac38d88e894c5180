package dev.tpo.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Timestamp;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.ActivityTaskScheduledEventAttributes;
import io.temporal.api.history.v1.ActivityTaskStartedEventAttributes;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.payload.codec.PayloadCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a run's workflow history and its iteration children's, and turns activity events into one
 * {@link StepRecord} per activity. Children are found from the run's own history, so a finished run works too.
 */
final class RunHistoryReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WorkflowClient client;

    RunHistoryReader(WorkflowClient client) {
        this.client = client;
    }

    List<StepRecord> read(String runId) {
        return steps(histories(runId), RunDescriber.codec(client));
    }

    /** The steps of these histories, their payloads decoded with {@code codec} (the client's). */
    static List<StepRecord> steps(List<WorkflowExecutionHistory> histories, PayloadCodec codec) {
        List<StepRecord> steps = new ArrayList<>();
        for (WorkflowExecutionHistory history : histories) {
            steps.addAll(readOne(history, codec));
        }
        return steps;
    }

    /**
     * The run's histories (one per continue-as-new, oldest first), then its children's in the order it started them.
     */
    List<WorkflowExecutionHistory> histories(String runId) {
        List<WorkflowExecutionHistory> histories = new ArrayList<>(continuedRuns(runId));
        for (int i = 0; i < histories.size(); i++) {
            for (HistoryEvent event : histories.get(i).getEvents()) {
                if (event.hasStartChildWorkflowExecutionInitiatedEventAttributes()) {
                    histories.add(client.fetchHistory(event.getStartChildWorkflowExecutionInitiatedEventAttributes()
                            .getWorkflowId()));
                }
            }
        }
        return histories;
    }

    /** A long run continues as new at iteration boundaries: each of its histories, oldest first. */
    private List<WorkflowExecutionHistory> continuedRuns(String runId) {
        List<WorkflowExecutionHistory> runs = new ArrayList<>();
        WorkflowExecutionHistory history = client.fetchHistory(runId);
        while (true) {
            runs.add(0, history);
            String previous = history.getEvents().isEmpty()
                    ? ""
                    : history.getEvents()
                            .get(0)
                            .getWorkflowExecutionStartedEventAttributes()
                            .getContinuedExecutionRunId();
            if (previous.isEmpty()) {
                return runs;
            }
            history = client.fetchHistory(runId, previous);
        }
    }

    /** The activities of one workflow. */
    private static List<StepRecord> readOne(WorkflowExecutionHistory history, PayloadCodec codec) {
        String workflowId = history.getWorkflowExecution().getWorkflowId();
        Map<Long, Tracked> byScheduledId = new LinkedHashMap<>();
        for (HistoryEvent event : history.getEvents()) {
            Instant time = instant(event.getEventTime());
            switch (event.getEventType()) {
                case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED ->
                    byScheduledId.put(
                            event.getEventId(),
                            new Tracked(event.getActivityTaskScheduledEventAttributes(), time, codec));
                case EVENT_TYPE_ACTIVITY_TASK_STARTED -> {
                    ActivityTaskStartedEventAttributes a = event.getActivityTaskStartedEventAttributes();
                    Tracked t = byScheduledId.get(a.getScheduledEventId());
                    t.started = time;
                    t.attempt = a.getAttempt();
                    if (a.hasLastFailure()) {
                        t.failures.add("attempt " + (a.getAttempt() - 1) + ": " + message(codec, a.getLastFailure()));
                    }
                }
                case EVENT_TYPE_ACTIVITY_TASK_COMPLETED -> {
                    var a = event.getActivityTaskCompletedEventAttributes();
                    byScheduledId.get(a.getScheduledEventId()).close("completed", time, null, a.getResult());
                }
                case EVENT_TYPE_ACTIVITY_TASK_FAILED -> {
                    var a = event.getActivityTaskFailedEventAttributes();
                    byScheduledId.get(a.getScheduledEventId()).close("failed", time, a.getFailure(), null);
                }
                case EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT -> {
                    var a = event.getActivityTaskTimedOutEventAttributes();
                    byScheduledId.get(a.getScheduledEventId()).close("timed out", time, a.getFailure(), null);
                }
                case EVENT_TYPE_ACTIVITY_TASK_CANCELED -> {
                    var a = event.getActivityTaskCanceledEventAttributes();
                    byScheduledId.get(a.getScheduledEventId()).close("canceled", time, null, null);
                }
                default -> {}
            }
        }
        return byScheduledId.values().stream().map(t -> t.toRecord(workflowId)).toList();
    }

    private static Instant instant(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }

    /** A failure and its causes, outermost first. */
    static String message(PayloadCodec codec, Failure failure) {
        StringBuilder out = new StringBuilder(RunDescriber.message(codec, failure));
        for (Failure f = failure; f.hasCause(); f = f.getCause()) {
            out.append(": ").append(RunDescriber.message(codec, f.getCause()));
        }
        return out.toString();
    }

    private static JsonNode json(PayloadCodec codec, Payloads payloads) {
        if (payloads == null || payloads.getPayloadsCount() == 0) {
            return null;
        }
        try {
            return JSON.readTree(RunDescriber.text(codec, payloads.getPayloads(0)));
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** An activity between its scheduled event and its closing one. */
    private static final class Tracked {
        final ActivityTaskScheduledEventAttributes scheduled;
        final Instant scheduledAt;
        final PayloadCodec codec;
        final List<String> failures = new ArrayList<>();
        final Set<FoundArtifact> artifacts = new LinkedHashSet<>();
        Instant started;
        Instant closed;
        int attempt = 1;
        String outcome = "running";

        Tracked(ActivityTaskScheduledEventAttributes scheduled, Instant scheduledAt, PayloadCodec codec) {
            this.scheduled = scheduled;
            this.scheduledAt = scheduledAt;
            this.codec = codec;
        }

        void close(String how, Instant at, Failure failure, Payloads result) {
            outcome = how;
            closed = at;
            if (failure != null) {
                failures.add("attempt " + attempt + ": " + message(codec, failure));
            }
            FoundArtifact.collect(json(codec, result), artifacts);
        }

        StepRecord toRecord(String workflowId) {
            JsonNode input = json(codec, scheduled.getInput());
            return new StepRecord(
                    workflowId,
                    scheduled.getActivityId(),
                    scheduled.getActivityType().getName(),
                    intField(input, "iteration"),
                    intField(input, "shard"),
                    attempt,
                    started == null ? null : Duration.between(scheduledAt, started),
                    started == null || closed == null ? null : Duration.between(started, closed),
                    outcome,
                    List.copyOf(failures),
                    List.copyOf(artifacts),
                    started,
                    closed);
        }

        private static Integer intField(JsonNode input, String field) {
            JsonNode value = input == null ? null : input.get(field);
            return value != null && value.isInt() ? value.asInt() : null;
        }
    }
}
