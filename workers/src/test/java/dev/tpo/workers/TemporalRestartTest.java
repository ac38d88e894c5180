package dev.tpo.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpo.activities.heartbeat.GenerateProgress;
import dev.tpo.api.spec.TaskQueues;
import dev.tpo.api.steps.RunResult;
import dev.tpo.artifacts.S3Buckets;
import dev.tpo.workflows.TpoRunWorkflow;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The Temporal server is stopped and started again (same SQLite file, same ports) while a run is generating; the
 * worker keeps running through it. The run is still there afterwards, continues and completes, and the work stored
 * before the restart is not done again.
 */
@Tag("real-server")
@Tag("multi-process")
class TemporalRestartTest {
    private static final String GENERATE = "runs/" + DurabilityHarness.RUN_ID + "/iter-1/generate/";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    private LocalS3Server s3Server;
    private RealTemporalServer temporal;
    private DurabilityHarness harness;

    @AfterEach
    void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
        if (temporal != null) {
            temporal.close();
        }
        if (s3Server != null) {
            s3Server.close();
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void runContinuesAndCompletesAfterTheServerRestarts() throws Exception {
        // Fails (naming the install script) when the Temporal CLI is missing: never skipped.
        Path cli = TemporalCli.locate(null);
        int port = DurabilityHarness.freePort();
        int uiPort = DurabilityHarness.freePort();
        Path db = tmp.resolve("temporal/temporal.db");
        Path log = tmp.resolve("temporal/server.log");
        temporal = RealTemporalServer.start(cli, port, uiPort, db, log);
        s3Server = LocalS3Server.start(0, tmp.resolve("s3"));
        harness = new DurabilityHarness(tmp);
        harness.connectTo(temporal.clientSettings(), s3Server.clientSettings());
        S3Client s3 = harness.s3();
        S3Buckets.createIfMissing(s3, DevStack.BUCKET);
        // The server goes down, not the worker: one for both queues in this JVM.
        harness.startInProcessWorker();
        WorkflowClient client = harness.client();
        TpoRunWorkflow stub = client.newWorkflowStub(
                TpoRunWorkflow.class,
                WorkflowOptions.newBuilder()
                        .setWorkflowId(DurabilityHarness.RUN_ID)
                        .setTaskQueue(TaskQueues.DEFAULT_CONTROL)
                        .build());
        WorkflowExecution execution = WorkflowClient.start(stub::run, harness.spec(2), null);
        CompletableFuture<RunResult> firstWait = WorkflowStub.fromTyped(stub).getResultAsync(RunResult.class);

        harness.awaitHeartbeat(client, firstWait, "Generate", GenerateProgress.class, d -> d.nextChunk() >= 1);
        harness.note("generating: stopping the Temporal server");
        temporal.close();
        Map<String, Instant> storedBeforeRestart = DurabilityHarness.objects(s3, GENERATE);
        assertThrows(
                StatusRuntimeException.class,
                () -> client.getWorkflowServiceStubs()
                        .blockingStub()
                        .withDeadlineAfter(2, TimeUnit.SECONDS)
                        .getSystemInfo(GetSystemInfoRequest.getDefaultInstance()),
                "the server is down");
        temporal = RealTemporalServer.start(cli, port, uiPort, db, log);
        harness.note("Temporal server started again");

        // A wait started now reads the run from the restarted server's history.
        RunResult done =
                client.newUntypedWorkflowStub(DurabilityHarness.RUN_ID).getResult(8, TimeUnit.MINUTES, RunResult.class);
        assertEquals("completed", done.status());
        harness.note("run completed; last attempt of each step " + DurabilityHarness.attempts(client));
        var described = client.getWorkflowServiceStubs()
                .blockingStub()
                .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(client.getOptions().getNamespace())
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(DurabilityHarness.RUN_ID))
                        .build())
                .getWorkflowExecutionInfo();
        assertEquals(execution.getRunId(), described.getExecution().getRunId(), "the same run, not a new one");
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED, described.getStatus());

        Map<String, Instant> generated = DurabilityHarness.objects(s3, GENERATE);
        assertTrue(
                storedBeforeRestart.keySet().stream().anyMatch(k -> k.contains("/parts/")),
                "chunks were stored before the restart: " + storedBeforeRestart.keySet());
        storedBeforeRestart.forEach((key, time) -> assertEquals(time, generated.get(key), key + " was rewritten"));
        assertEquals(
                16,
                generated.keySet().stream().filter(k -> k.contains("/parts/")).count());
    }
}
