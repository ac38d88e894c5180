package dev.tpo.cli;

import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflow.v1.PendingChildExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.payload.codec.PayloadCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** What Temporal itself says about a run (DescribeWorkflowExecution), its iteration children included. */
final class RunDescriber {
    private final WorkflowClient client;

    RunDescriber(WorkflowClient client) {
        this.client = client;
    }

    WorkflowExecutionStatus status(String workflowId) {
        return describe(workflowId).getWorkflowExecutionInfo().getStatus();
    }

    /** Pending activities of the run and of its running iteration, the run's first. */
    List<PendingStep> pendingSteps(String runId) {
        List<PendingStep> steps = new ArrayList<>();
        DescribeWorkflowExecutionResponse run = describe(runId);
        addPending(steps, runId, run);
        for (PendingChildExecutionInfo child : run.getPendingChildrenList()) {
            addPending(steps, child.getWorkflowId(), describe(child.getWorkflowId()));
        }
        return steps;
    }

    private void addPending(List<PendingStep> steps, String workflowId, DescribeWorkflowExecutionResponse description) {
        PayloadCodec codec = codec(client);
        for (PendingActivityInfo a : description.getPendingActivitiesList()) {
            steps.add(new PendingStep(
                    workflowId,
                    a.getActivityType().getName(),
                    a.getState().name().replace("PENDING_ACTIVITY_STATE_", ""),
                    a.getAttempt(),
                    a.hasHeartbeatDetails() ? text(codec, a.getHeartbeatDetails()) : null,
                    a.hasLastHeartbeatTime()
                            ? Instant.ofEpochSecond(
                                            a.getLastHeartbeatTime().getSeconds(),
                                            a.getLastHeartbeatTime().getNanos())
                                    .toString()
                            : null,
                    a.hasLastFailure() ? message(codec, a.getLastFailure()) : null,
                    a.getLastWorkerIdentity().isEmpty() ? null : a.getLastWorkerIdentity()));
        }
    }

    private DescribeWorkflowExecutionResponse describe(String workflowId) {
        return client.getWorkflowServiceStubs()
                .blockingStub()
                .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(client.getOptions().getNamespace())
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                        .build());
    }

    /**
     * The payload codec of the client's data converter (decrypting, when payloads are encrypted), or one that
     * passes payloads through.
     */
    static PayloadCodec codec(WorkflowClient client) {
        return client.getOptions().getDataConverter() instanceof PayloadCodec codec ? codec : PASS_THROUGH;
    }

    private static final PayloadCodec PASS_THROUGH = new PayloadCodec() {
        @Override
        public List<Payload> encode(List<Payload> payloads) {
            return payloads;
        }

        @Override
        public List<Payload> decode(List<Payload> payloads) {
            return payloads;
        }
    };

    /**
     * Payloads as their JSON text, decoded first (the default converter writes JSON, so a decoded payload is
     * readable as is).
     */
    static String text(PayloadCodec codec, Payloads payloads) {
        return codec.decode(payloads.getPayloadsList()).stream()
                .map(p -> p.getData().toStringUtf8())
                .collect(Collectors.joining(", "));
    }

    /**
     * A failure's message; when it is encoded (payload encryption moves messages into the encoded attributes), the
     * decoded one.
     */
    static String message(PayloadCodec codec, Failure failure) {
        if (!failure.hasEncodedAttributes()) {
            return failure.getMessage();
        }
        try {
            return JSON.readTree(text(codec, failure.getEncodedAttributes()))
                    .path("message")
                    .asText(failure.getMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return failure.getMessage();
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    static String text(PayloadCodec codec, Payload payload) {
        return codec.decode(List.of(payload)).get(0).getData().toStringUtf8();
    }
}
