package dev.tpo.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpo.api.spec.SpecDigest;
import dev.tpo.api.steps.IterationSummary;
import dev.tpo.api.steps.RunProgress;
import dev.tpo.api.steps.RunResult;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributes;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A run whose history passes the bound continues as new at each iteration boundary and still ends as a run that
 * never did: same result, same steps, the same memo, search attributes and progress in between.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ContinueAsNewTest {
    /** Three iterations: with a bound of one event, the run continues as new after the first and the second. */
    static final String SPEC = TpoRunWorkflowTest.TRACKED_SPEC.replace("\"iterations\": 2", "\"iterations\": 3");

    private final List<TestWorkflowEnvironment> environments = new ArrayList<>();

    @AfterEach
    void stop() {
        environments.forEach(TestWorkflowEnvironment::close);
    }

    /** A test server whose control worker continues runs as new once their history has {@code bound} events. */
    private WorkflowClient server(RecordingActivities activities, long bound) {
        TestWorkflowEnvironment env = TestEnvironments.withSearchAttributes();
        environments.add(env);
        Worker control = env.newWorker("tpo-control");
        control.registerWorkflowImplementationTypes(TpoIterationWorkflowImpl.class);
        control.registerWorkflowImplementationFactory(TpoRunWorkflow.class, () -> new TpoRunWorkflowImpl(bound));
        control.registerActivitiesImplementations(activities);
        env.newWorker("tpo-gpu").registerActivitiesImplementations(activities);
        env.start();
        return env.getWorkflowClient();
    }

    private static TpoRunWorkflow newRun(WorkflowClient client, String id) {
        return client.newWorkflowStub(
                TpoRunWorkflow.class,
                WorkflowOptions.newBuilder()
                        .setWorkflowId(id)
                        .setTaskQueue("tpo-control")
                        .build());
    }

    /** The workflow's runs, oldest first, found from the newest by each one's predecessor. */
    private static List<WorkflowExecutionHistory> runs(WorkflowClient client, String id) {
        List<WorkflowExecutionHistory> runs = new ArrayList<>();
        WorkflowExecutionHistory history = client.fetchHistory(id);
        while (true) {
            runs.add(0, history);
            String previous = history.getEvents()
                    .get(0)
                    .getWorkflowExecutionStartedEventAttributes()
                    .getContinuedExecutionRunId();
            if (previous.isEmpty()) {
                return runs;
            }
            history = client.fetchHistory(id, previous);
        }
    }

    /** What a run's result says about its work, without the workflow-time stamps that differ between servers. */
    private static List<Object> work(RunResult result) {
        List<Object> work = new ArrayList<>(List.of(
                result.runId(),
                result.name(),
                result.status(),
                result.seedEval(),
                result.finalPolicy(),
                result.report()));
        for (IterationSummary it : result.iterations()) {
            work.addAll(List.of(
                    it.iteration(),
                    it.policy(),
                    it.samples(),
                    it.pairs(),
                    it.trainMetrics(),
                    it.eval(),
                    it.artifacts(),
                    it.report(),
                    it.computeSeconds()));
        }
        return work;
    }

    @Test
    void aLongRunContinuesAsNewTwiceAndEndsWithTheResultOfOneThatDidNot() throws Exception {
        RecordingActivities plain = new RecordingActivities();
        WorkflowClient plainClient = server(plain, TpoRunWorkflowImpl.CONTINUE_AS_NEW_AFTER_EVENTS);
        RunResult expected = newRun(plainClient, "long").run(TpoRunWorkflowTest.spec(SPEC), null);
        assertEquals(1, runs(plainClient, "long").size(), "a short run stays in one history");
        RecordingActivities continuing = new RecordingActivities();
        WorkflowClient client = server(continuing, 1);
        RunResult result = newRun(client, "long").run(TpoRunWorkflowTest.spec(SPEC), null);

        List<WorkflowExecutionHistory> runs = runs(client, "long");
        assertEquals(3, runs.size(), "continued as new after iterations 1 and 2");
        for (WorkflowExecutionHistory run : runs.subList(0, 2)) {
            HistoryEvent last = run.getEvents().get(run.getEvents().size() - 1);
            assertEquals(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, last.getEventType());
        }
        // The spec and the state after 2 iterations: references and summaries, a few KB (docs/paper-scale.md).
        int carried = runs.get(1)
                .getEvents()
                .get(runs.get(1).getEvents().size() - 1)
                .getWorkflowExecutionContinuedAsNewEventAttributes()
                .getInput()
                .getSerializedSize();
        System.out.println("continue-as-new input after 2 iterations: " + carried + " bytes; events per run: "
                + runs.stream().map(r -> r.getEvents().size()).toList());
        assertTrue(carried < 16_000, carried + " bytes");

        assertEquals("completed", result.status());
        assertEquals(3, result.iterations().size());
        assertEquals(work(expected), work(result), "summaries, policies, evaluations and reports");
        assertEquals(
                plain.calls.stream().sorted().toList(),
                continuing.calls.stream().sorted().toList(),
                "the same steps, none repeated: prepare, baseline and the seed's evaluation ran once");
        assertEquals(1, continuing.count("track-start"), "the MLflow run carried over, not started again");
        assertEquals(
                List.of("track-start", "track:1", "track:2", "track:3", "track-finish:completed"),
                continuing.calls.stream().filter(c -> c.startsWith("track")).toList());
        assertEquals(3, continuing.trackingUpdates.get(2).iterations().size(), "each update carries all so far");
        assertEquals(40.0, continuing.trackingUpdates.get(2).seedEval().score());

        WorkflowExecutionDescription description =
                client.newUntypedWorkflowStub("long").describe();
        SearchAttributes attributes = description.getTypedSearchAttributes();
        assertEquals("unit", attributes.get(TpoSearchAttributes.RUN_NAME));
        assertEquals("completed", attributes.get(TpoSearchAttributes.STATUS));
        assertEquals(3L, attributes.get(TpoSearchAttributes.ITERATION));
        assertEquals("specific", attributes.get(TpoSearchAttributes.THOUGHT_MODE));
        assertEquals(SpecDigest.of(TpoRunWorkflowTest.spec(SPEC)), description.getMemo("spec_sha256", String.class));
        assertEquals(
                "http://mlflow.test:5000/#/experiments/7/runs/mlflow-long",
                description.getMemo("mlflow_run_url", String.class));
        RunProgress progress =
                client.newWorkflowStub(TpoRunWorkflow.class, "long").progress();
        assertEquals("completed", progress.status());
        assertEquals(3, progress.finished().size());
        assertEquals(40.0, progress.seedEval().score());
        for (int k = 1; k <= 3; k++) {
            assertEquals(
                    "completed",
                    client.newUntypedWorkflowStub("long-iter-" + k)
                            .describe()
                            .getTypedSearchAttributes()
                            .get(TpoSearchAttributes.STATUS),
                    "iteration children keep their ids across runs");
        }
    }

    @Test
    void progressSignalsAndAttributesFollowTheRunAcrossTheBoundary() throws Exception {
        RecordingActivities activities = new RecordingActivities();
        activities.trainGate = new CountDownLatch(1);
        activities.trainGateIteration = 3;
        WorkflowClient client = server(activities, 1);
        TpoRunWorkflow run = newRun(client, "moving");
        String firstRunId = WorkflowClient.start(run::run, TpoRunWorkflowTest.spec(SPEC), null)
                .getRunId();
        try {
            RunProgress progress =
                    await(run, p -> p.iteration() == 3 && p.step().equals("train"));
            assertEquals("running", progress.status());
            assertEquals(2, progress.finished().size(), "the finished iterations came over");
            assertEquals(40.0, progress.seedEval().score());
            assertEquals(60.0, progress.latestMetrics().get("eval/score"));
            assertEquals(3, progress.iterations());
            WorkflowExecutionDescription description =
                    client.newUntypedWorkflowStub("moving").describe();
            assertNotEquals(firstRunId, description.getExecution().getRunId(), "a newer run answers");
            assertEquals(3L, description.getTypedSearchAttributes().get(TpoSearchAttributes.ITERATION));
            assertEquals("train", description.getTypedSearchAttributes().get(TpoSearchAttributes.STEP));
            assertEquals("unit", description.getTypedSearchAttributes().get(TpoSearchAttributes.RUN_NAME));
            assertEquals("running", description.getTypedSearchAttributes().get(TpoSearchAttributes.STATUS));
            assertEquals(
                    "continued",
                    client.newUntypedWorkflowStub("moving", Optional.of(firstRunId), Optional.empty())
                            .describe()
                            .getTypedSearchAttributes()
                            .get(TpoSearchAttributes.STATUS),
                    "the first part is not found as running");
            assertNotNull(description.getMemo("manifest_uri", String.class));

            // Iteration 2's last report arriving late (signals and the child's result travel apart) changes nothing.
            run.reportStep(new StepProgress(2, "report", 0, 0, Map.of()));
            assertEquals("train", run.progress().step());
            assertEquals(3, run.progress().iteration());

            run.pause();
            TpoIterationWorkflow iteration = client.newWorkflowStub(TpoIterationWorkflow.class, "moving-iter-3");
            for (int i = 0; i < 300 && !iteration.paused(); i++) {
                Thread.sleep(20);
            }
            assertTrue(iteration.paused(), "the newest run forwards a pause to its running iteration");
            assertEquals("paused", run.progress().status());
            assertEquals(
                    "paused",
                    client.newUntypedWorkflowStub("moving")
                            .describe()
                            .getTypedSearchAttributes()
                            .get(TpoSearchAttributes.STATUS));
            run.resume();
        } finally {
            activities.trainGate.countDown();
        }
        RunResult result = WorkflowStub.fromTyped(run).getResult(RunResult.class);
        assertEquals("completed", result.status());
        assertEquals(
                List.of(1, 2, 3),
                result.iterations().stream().map(IterationSummary::iteration).toList());
        assertEquals(3, runs(client, "moving").size());
    }

    @Test
    void aRunPausedAsAnIterationEndsContinuesAsNewPausedAndHoldsUntilResumed() throws Exception {
        RecordingActivities activities = new RecordingActivities();
        activities.reportGate = new CountDownLatch(1);
        WorkflowClient client = server(activities, 1);
        TpoRunWorkflow run = newRun(client, "held");
        String firstRunId = WorkflowClient.start(run::run, TpoRunWorkflowTest.spec(SPEC), null)
                .getRunId();
        try {
            assertTrue(activities.reportStarted.await(60, TimeUnit.SECONDS));
            run.pause();
            TpoIterationWorkflow iteration = client.newWorkflowStub(TpoIterationWorkflow.class, "held-iter-1");
            for (int i = 0; i < 300 && !iteration.paused(); i++) {
                Thread.sleep(20);
            }
            assertTrue(iteration.paused(), "the pause reached the iteration in its last step");
        } finally {
            activities.reportGate.countDown();
        }
        // Iteration 1 ends with the run paused: the run continues as new at the boundary, and the next part holds.
        for (int i = 0;
                i < 1500
                        && client.newUntypedWorkflowStub("held")
                                .describe()
                                .getExecution()
                                .getRunId()
                                .equals(firstRunId);
                i++) {
            Thread.sleep(20);
        }
        assertNotEquals(
                firstRunId,
                client.newUntypedWorkflowStub("held").describe().getExecution().getRunId());
        RunProgress progress = run.progress();
        assertEquals("paused", progress.status());
        assertEquals(1, progress.finished().size());
        assertEquals(
                "paused",
                client.newUntypedWorkflowStub("held")
                        .describe()
                        .getTypedSearchAttributes()
                        .get(TpoSearchAttributes.STATUS));
        Thread.sleep(500);
        assertEquals(0, activities.count("select:2"), "held before iteration 2");

        run.resume();
        RunResult result = WorkflowStub.fromTyped(run).getResult(RunResult.class);
        assertEquals("completed", result.status());
        assertEquals(3, result.iterations().size());
    }

    private static RunProgress await(TpoRunWorkflow run, Predicate<RunProgress> reached) throws InterruptedException {
        RunProgress progress = run.progress();
        for (int i = 0; i < 1500 && !reached.test(progress); i++) {
            Thread.sleep(20);
            progress = run.progress();
        }
        assertTrue(reached.test(progress), "progress never got there: " + progress);
        return progress;
    }
}
