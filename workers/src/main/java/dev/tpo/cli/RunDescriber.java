package dev.tpo.cli;

import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflow.v1.PendingChildExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
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

    private static void addPending(List<PendingStep> steps, String workflowId,
                                   DescribeWorkflowExecutionResponse description) {
        for (PendingActivityInfo a : description.getPendingActivitiesList()) {
            steps.add(new PendingStep(workflowId, a.getActivityType().getName(),
                    a.getState().name().replace("PENDING_ACTIVITY_STATE_", ""), a.getAttempt(),
                    a.hasHeartbeatDetails() ? text(a.getHeartbeatDetails()) : null,
                    a.hasLastHeartbeatTime() ? Instant.ofEpochSecond(a.getLastHeartbeatTime().getSeconds(),
                            a.getLastHeartbeatTime().getNanos()).toString() : null,
                    a.hasLastFailure() ? a.getLastFailure().getMessage() : null,
                    a.getLastWorkerIdentity().isEmpty() ? null : a.getLastWorkerIdentity()));
        }
    }

    private DescribeWorkflowExecutionResponse describe(String workflowId) {
        return client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
                DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(client.getOptions().getNamespace())
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                        .build());
    }

    /** Payloads as their JSON text; the default converter writes JSON, so this is readable as is. */
    static String text(Payloads payloads) {
        return payloads.getPayloadsList().stream().map(RunDescriber::text).collect(Collectors.joining(", "));
    }

    static String text(Payload payload) {
        return payload.getData().toStringUtf8();
    }
}
