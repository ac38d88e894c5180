package dev.tpo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.tpo.activities.StepEnvironment;
import dev.tpo.api.spec.TaskQueues;
import dev.tpo.api.steps.RunResult;
import dev.tpo.workers.ArtifactsModule;
import dev.tpo.workers.DevStack;
import dev.tpo.workers.TemporalCli;
import dev.tpo.workers.TemporalKind;
import dev.tpo.workers.TemporalModule;
import dev.tpo.workflows.TpoIterationWorkflowImpl;
import dev.tpo.workflows.TpoRunWorkflow;
import dev.tpo.workflows.TpoRunWorkflowImpl;
import dev.tpo.workflows.TpoSearchAttributes;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * On the official server (visibility, as the Web UI reads it): a run that continues as new at each iteration
 * boundary keeps its search attributes in every run of the workflow, and {@code tpo history} reads all of them.
 */
@Tag("real-server")
class ContinueAsNewRealServerTest {
    private static final String RUNS = "WorkflowType = '" + TpoRunWorkflow.TYPE + "' AND TpoRunName = 'long-real'";

    @TempDir
    Path dir;

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void searchAttributesAndHistoryStayRightAcrossContinueAsNew() throws Exception {
        DevStack.Settings settings = new DevStack.Settings(
                TemporalKind.REAL, TemporalCli.locate(null), freePort(), freePort(), freePort(), dir.resolve("data"));
        try (DevStack stack = DevStack.start(settings)) {
            Injector connections = Guice.createInjector(
                    new TemporalModule(stack.temporalSettings()),
                    new ArtifactsModule(stack.s3Settings(), dir.resolve("work")));
            ScriptedSteps steps = new ScriptedSteps(connections.getInstance(StepEnvironment.class));
            steps.trainGate.countDown();
            WorkflowClient client = connections.getInstance(WorkflowClient.class);
            WorkerFactory factory = WorkerFactory.newInstance(client);
            try {
                TaskQueues queues = TaskQueues.defaults();
                Worker control = factory.newWorker(queues.control());
                control.registerWorkflowImplementationTypes(TpoIterationWorkflowImpl.class);
                // A bound of one event: the run continues as new at both boundaries of its three iterations.
                control.registerWorkflowImplementationFactory(TpoRunWorkflow.class, () -> new TpoRunWorkflowImpl(1));
                control.registerActivitiesImplementations(steps.control().toArray());
                factory.newWorker(queues.gpu())
                        .registerActivitiesImplementations(steps.gpu().toArray());
                TpoRunWorkflowImpl.warmUp(); // as TpoWorker does, so a loaded machine's first task fits in 1 s
                factory.start();

                RunResult result = client.newWorkflowStub(
                                TpoRunWorkflow.class,
                                WorkflowOptions.newBuilder()
                                        .setWorkflowId("long-real")
                                        .setTaskQueue(queues.control())
                                        .build())
                        .run(new ObjectMapper().readTree("""
                                        {"name": "long-real", "seed_policy": "s3://tpo-artifacts/models/seed/",
                                         "train_prompts": "s3://tpo-artifacts/prompts/train.jsonl",
                                         "eval_prompts": "s3://tpo-artifacts/prompts/eval.jsonl", "iterations": 3,
                                         "prompts_per_iteration": 4, "shards": {"generate": 2, "judge": 1}}
                                        """), null);
                assertEquals("completed", result.status());
                assertEquals(3, result.iterations().size());

                List<WorkflowExecutionMetadata> runs = awaitRuns(client, RUNS, 3);
                List<WorkflowExecutionStatus> statuses =
                        runs.stream().map(WorkflowExecutionMetadata::getStatus).toList();
                assertEquals(
                        List.of(
                                WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW,
                                WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW,
                                WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED),
                        statuses,
                        "three runs of one workflow, found by the run's name");
                for (int k = 0; k < runs.size(); k++) {
                    SearchAttributes attributes = runs.get(k).getTypedSearchAttributes();
                    assertEquals("specific", attributes.get(TpoSearchAttributes.THOUGHT_MODE));
                    assertEquals("s3://tpo-artifacts/models/seed/", attributes.get(TpoSearchAttributes.SEED_POLICY));
                    assertEquals(
                            k + 1L, attributes.get(TpoSearchAttributes.ITERATION), "run " + k + " ended in iteration");
                }
                for (int k = 0; k < 2; k++) {
                    assertEquals(
                            "continued",
                            runs.get(k).getTypedSearchAttributes().get(TpoSearchAttributes.STATUS),
                            "an earlier part is not found as running");
                }
                SearchAttributes last = runs.get(2).getTypedSearchAttributes();
                assertEquals("completed", last.get(TpoSearchAttributes.STATUS));
                assertEquals("done", last.get(TpoSearchAttributes.STEP));
                assertEquals(
                        1,
                        awaitRuns(client, RUNS + " AND TpoStatus = 'completed'", 1)
                                .size());

                List<String> history = new RunHistoryReader(client)
                        .read("long-real").stream()
                                .map(s -> s.workflowId() + ":" + s.type())
                                .toList();
                assertTrue(history.contains("long-real:PrepareRun"), history.toString());
                for (int k = 1; k <= 3; k++) {
                    assertTrue(history.contains("long-real-iter-" + k + ":Train"), history.toString());
                }
                assertTrue(history.contains("long-real:WriteRunReport"), history.toString());
            } finally {
                factory.shutdownNow();
                factory.awaitTermination(10, TimeUnit.SECONDS);
                connections.getInstance(WorkflowServiceStubs.class).shutdown();
                connections.getInstance(S3Client.class).close();
            }
        }
    }

    /** The workflow's runs matching {@code query}, oldest first, once visibility has all {@code count}. */
    private static List<WorkflowExecutionMetadata> awaitRuns(WorkflowClient client, String query, int count)
            throws InterruptedException {
        List<WorkflowExecutionMetadata> runs = List.of();
        for (int i = 0; i < 200; i++) {
            runs = client.listExecutions(query)
                    .sorted(Comparator.comparing(WorkflowExecutionMetadata::getStartTime))
                    .toList();
            if (runs.size() >= count
                    && runs.stream()
                            .allMatch(
                                    r -> r.getStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING)) {
                return runs;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("visibility never showed " + count + " closed runs for " + query + ": " + runs);
    }
}
