package dev.tpo.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.api.Failures;
import dev.tpo.api.spec.SpecDigest;
import dev.tpo.api.steps.RunProgress;
import dev.tpo.api.steps.RunResult;
import dev.tpo.api.steps.TrackingUpdate;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.sdk.v1.WorkflowMetadata;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributes;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TpoRunWorkflowTest {
    static final String SPEC = """
            {"name": "unit", "seed_policy": "file:///models/seed/", "train_prompts": "file:///data/train.jsonl",
             "eval_prompts": "file:///data/eval.jsonl", "artifact_root": "file:///artifacts/", "iterations": 2,
             "prompts_per_iteration": 6, "shards": {"generate": 3, "judge": 2},
             "generation": {"samples_per_prompt": 4}}
            """;

    private TestWorkflowEnvironment env;
    private RecordingActivities activities;
    private WorkflowClient client;

    @BeforeEach
    void start() {
        env = TestEnvironments.withSearchAttributes();
        activities = new RecordingActivities();
        Worker control = env.newWorker("tpo-control");
        control.registerWorkflowImplementationTypes(TpoRunWorkflowImpl.class, TpoIterationWorkflowImpl.class);
        control.registerActivitiesImplementations(activities);
        Worker gpu = env.newWorker("tpo-gpu");
        gpu.registerActivitiesImplementations(activities);
        env.start();
        client = env.getWorkflowClient();
    }

    @AfterEach
    void stop() {
        env.close();
    }

    static JsonNode spec(String json) throws Exception {
        return new ObjectMapper().readTree(json);
    }

    private TpoRunWorkflow newRun(String id) {
        return client.newWorkflowStub(
                TpoRunWorkflow.class,
                WorkflowOptions.newBuilder()
                        .setWorkflowId(id)
                        .setTaskQueue("tpo-control")
                        .build());
    }

    @Test
    void runsEveryStepOfEveryIterationAndChainsPolicies() throws Exception {
        RunResult result = newRun("run-1").run(spec(SPEC), null);

        assertEquals("completed", result.status());
        assertEquals(2, result.iterations().size());
        assertEquals(40.0, result.seedEval().score());
        assertEquals(60.0, result.iterations().get(1).eval().score());
        assertEquals(1, activities.count("prepare"));
        assertEquals(6, activities.count("generate:"), "3 shards x 2 iterations");
        assertEquals(4, activities.count("judge:"), "2 judge shards x 2 iterations");
        assertEquals(
                List.of(2, 1),
                activities.judgeInputs.stream()
                        .filter(j -> j.iteration() == 1)
                        .sorted((a, b) -> a.shard() - b.shard())
                        .map(j -> j.generations().size())
                        .toList(),
                "generation shards split round robin, none judged twice");
        assertEquals(1, activities.count("answer:0:baseline:none"), "baseline answers directly, once per run");
        assertEquals(1, activities.count("answer:0:policy:specific"), "seed evaluated under the thought prompt");
        assertEquals(
                "file:///artifacts/seed/",
                activities.trainInputs.get(0).policy().uri());
        assertEquals(
                result.iterations().get(0).policy(),
                activities.trainInputs.get(1).policy(),
                "iteration 2 trains from iteration 1's policy");
        assertEquals(result.iterations().get(1).policy(), result.finalPolicy());
        assertEquals("report.json", result.report().uri().substring("file:///artifacts/".length()));
        assertNotNull(result.iterations().get(0).report());
        assertEquals(5, result.iterations().get(0).pairs().pairs());
        assertEquals(24, result.iterations().get(0).samples());
        assertTrue(result.iterations().get(0).stepSeconds().containsKey("train"));
        assertEquals(3 * 1.5, result.iterations().get(0).computeSeconds().get("generate"));

        RunProgress progress = WorkflowStub.fromTyped(newRunStub("run-1")).query("progress", RunProgress.class);
        assertEquals("completed", progress.status());
        assertEquals(2, progress.finished().size());
    }

    @Test
    void runsAndIterationsCarrySearchAttributesSummariesAndDetailsForTheWebUi() throws Exception {
        newRun("audit").run(spec(SPEC), null);

        WorkflowExecutionDescription run =
                client.newUntypedWorkflowStub("audit").describe();
        SearchAttributes attributes = run.getTypedSearchAttributes();
        assertEquals("unit", attributes.get(TpoSearchAttributes.RUN_NAME));
        assertEquals("completed", attributes.get(TpoSearchAttributes.STATUS));
        assertEquals("done", attributes.get(TpoSearchAttributes.STEP));
        assertEquals(2L, attributes.get(TpoSearchAttributes.ITERATION));
        assertEquals("specific", attributes.get(TpoSearchAttributes.THOUGHT_MODE));
        assertEquals("file:///models/seed/", attributes.get(TpoSearchAttributes.SEED_POLICY));
        assertEquals(SpecDigest.of(spec(SPEC)), run.getMemo("spec_sha256", String.class));
        assertEquals("file:///artifacts/runs/audit/manifest/", run.getMemo("manifest_uri", String.class));

        WorkflowExecutionDescription iteration =
                client.newUntypedWorkflowStub("audit-iter-2").describe();
        assertEquals(2L, iteration.getTypedSearchAttributes().get(TpoSearchAttributes.ITERATION));
        assertEquals("completed", iteration.getTypedSearchAttributes().get(TpoSearchAttributes.STATUS));
        assertEquals(
                "TPO iteration 2/2 of unit: 6 prompts x 4 samples, thought specific", iteration.getStaticSummary());
        assertTrue(
                iteration.getStaticDetails().contains("| spec sha256 | `" + SpecDigest.of(spec(SPEC)) + "` |"),
                iteration.getStaticDetails());

        List<String> summaries = client.fetchHistory("audit-iter-1").getEvents().stream()
                .filter(HistoryEvent::hasActivityTaskScheduledEventAttributes)
                .map(e -> DefaultDataConverter.newDefaultInstance()
                        .fromPayload(e.getUserMetadata().getSummary(), String.class, String.class))
                .toList();
        assertTrue(summaries.contains("select 6 prompts for iteration 1 into 3 shards"), summaries.toString());
        assertTrue(
                summaries.contains("generate shard 3/3: 2 prompts x 4 samples, thought specific"),
                summaries.toString());
        assertTrue(
                summaries.contains("judge shard 1/2: responses of 2 generation shards, verifier judge"),
                summaries.toString());
        assertEquals(
                1 + 3 + 2 + 1 + 1 + 1 + 2 + 1,
                summaries.size(),
                "select, 3 generate, 2 judge, pair, reference, train, answer + evaluate, report: each summarised");
    }

    @Test
    void everyStepHasTheRunsHeartbeatTimeoutControlStepsIncluded() throws Exception {
        newRun("beats").run(spec(SPEC), null);

        // Without one, a control step whose worker died would hold the run for its 30-minute start-to-close timeout.
        for (String workflow : List.of("beats", "beats-iter-1")) {
            List<String> missing = client.fetchHistory(workflow).getEvents().stream()
                    .filter(HistoryEvent::hasActivityTaskScheduledEventAttributes)
                    .map(HistoryEvent::getActivityTaskScheduledEventAttributes)
                    .filter(a -> a.getHeartbeatTimeout().getSeconds() != 600)
                    .map(a -> a.getActivityType().getName() + " " + a.getHeartbeatTimeout())
                    .toList();
            assertEquals(List.of(), missing, workflow + ": steps without the spec's 600 s heartbeat timeout");
        }
    }

    @Test
    void aFailedRunIsFoundByItsNameAndStatus() throws Exception {
        assertThrows(
                WorkflowFailedException.class,
                () -> newRun("bad-audit").run(spec(SPEC.replace("\"iterations\": 2", "\"iterations\": -1")), null));
        SearchAttributes attributes =
                client.newUntypedWorkflowStub("bad-audit").describe().getTypedSearchAttributes();
        assertEquals("unit", attributes.get(TpoSearchAttributes.RUN_NAME));
        assertEquals("failed", attributes.get(TpoSearchAttributes.STATUS));
    }

    private TpoRunWorkflow newRunStub(String id) {
        return client.newWorkflowStub(TpoRunWorkflow.class, id);
    }

    @Test
    void invalidSpecFailsBeforeAnyActivityNamingTheField() throws Exception {
        WorkflowFailedException e = assertThrows(
                WorkflowFailedException.class,
                () -> newRun("bad")
                        .run(
                                spec(SPEC.replace("\"iterations\": 2", "\"iterations\": 2, \"dpo\": {\"betta\": 0.2}")),
                                null));
        ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, e.getCause());
        assertEquals(Failures.INVALID_INPUT, cause.getType());
        assertTrue(cause.getOriginalMessage().contains("dpo.betta: unknown field"), cause.getOriginalMessage());
        assertTrue(activities.calls.isEmpty(), "no step ran: " + activities.calls);
        assertEquals(
                "failed",
                client.newWorkflowStub(TpoRunWorkflow.class, "bad").progress().status());
    }

    @Test
    void transientFailureIsRetriedAndInputErrorsAreNot() throws Exception {
        activities.failOnceAt = "generate:1:2";
        RunResult result = newRun("retry").run(spec(SPEC), null);
        assertEquals("completed", result.status());
        assertEquals(2, activities.attempts.get("generate:1:2").get(), "shard 2 retried once");
        assertEquals(1, activities.attempts.get("generate:1:0").get(), "other shards ran once");

        activities.rejectInputAt = "select:1";
        WorkflowFailedException e = assertThrows(
                WorkflowFailedException.class, () -> newRun("reject").run(spec(SPEC), null));
        assertTrue(
                e.getCause().getCause().getCause().getMessage().contains("prompts.jsonl:3"),
                "the child's failure carries the activity's message");
        assertEquals(1, activities.attempts.get("select:1").get() - 1, "input error not retried");
    }

    @Test
    void aFailedSeedEvaluationEndsTheRunWithoutWaitingForTheIterationBesideIt() throws Exception {
        activities.rejectInputAt = "evaluate:0";
        activities.trainGate = new CountDownLatch(1);
        try {
            WorkflowFailedException e = assertThrows(
                    WorkflowFailedException.class, () -> newRun("seed-eval").run(spec(SPEC), null));
            ApplicationFailure cause =
                    assertInstanceOf(ApplicationFailure.class, e.getCause().getCause());
            assertEquals(Failures.INVALID_INPUT, cause.getType());
            assertEquals(0, activities.count("evaluate:1"), "iteration 1 was still running");
        } finally {
            activities.trainGate.countDown();
        }
    }

    @Test
    void stopAfterIterationEndsTheRunAfterTheCurrentIteration() throws Exception {
        activities.trainGate = new CountDownLatch(1);
        TpoRunWorkflow run = newRun("stop");
        WorkflowClient.start(run::run, spec(SPEC), null);
        assertTrue(activities.trainStarted.await(30, TimeUnit.SECONDS));
        run.stopAfterIteration();
        assertEquals("stopping", run.progress().status());
        activities.trainGate.countDown();

        RunResult result = WorkflowStub.fromTyped(run).getResult(RunResult.class);
        assertEquals("stopped", result.status());
        assertEquals(1, result.iterations().size());
        assertEquals(0, activities.count("select:2"));
        assertEquals(1, activities.count("run-report"), "a stopped run still writes its report");
    }

    @Test
    void pauseHoldsTheRunBetweenStepsUntilResumed() throws Exception {
        activities.trainGate = new CountDownLatch(1);
        TpoRunWorkflow run = newRun("pause");
        WorkflowClient.start(run::run, spec(SPEC), null);
        assertTrue(activities.trainStarted.await(30, TimeUnit.SECONDS));
        run.pause();
        // The run forwards the pause to the running iteration; let training finish only once it has arrived.
        TpoIterationWorkflow iteration = client.newWorkflowStub(TpoIterationWorkflow.class, "pause-iter-1");
        for (int i = 0; i < 300 && !iteration.paused(); i++) {
            Thread.sleep(20);
        }
        assertTrue(iteration.paused(), "the iteration received the pause");
        activities.trainGate.countDown();
        env.sleep(Duration.ofMinutes(30));
        assertEquals("paused", run.progress().status());
        assertEquals(0, activities.count("answer:1:"), "the paused iteration holds before evaluation");
        assertEquals("train", run.progress().step());

        run.resume();
        RunResult result = WorkflowStub.fromTyped(run).getResult(RunResult.class);
        assertEquals("completed", result.status());
        assertFalse(result.iterations().isEmpty());
    }

    static final String TRACKED_SPEC = SPEC.replace(
            "\"iterations\": 2,",
            "\"iterations\": 2, \"tracking\": {\"mlflow_uri\": \"http://mlflow.test:5000\", \"experiment\": \"unit\"},");

    @Test
    void aTrackedRunLinksBothWaysAndLogsEachIterationThenTheReport() throws Exception {
        RunResult result = newRun("tracked").run(spec(TRACKED_SPEC), null);

        List<String> tracking = activities.calls.stream()
                .filter(c -> c.startsWith("track") || c.equals("prepare") || c.equals("run-report"))
                .toList();
        assertEquals(
                List.of("track-start", "prepare", "track:1", "track:2", "run-report", "track-finish:completed"),
                tracking,
                "started before any work, updated after each iteration, finished after the report");
        WorkflowExecutionDescription run =
                client.newUntypedWorkflowStub("tracked").describe();
        assertEquals(
                "http://mlflow.test:5000/#/experiments/7/runs/mlflow-tracked",
                run.getMemo("mlflow_run_url", String.class));
        TrackingUpdate last = activities.trackingUpdates.get(activities.trackingUpdates.size() - 1);
        assertEquals(result.report(), last.report());
        assertEquals(2, last.iterations().size());
        assertEquals("mlflow-tracked", last.tracked().mlflowRunId());
        assertEquals(40.0, last.seedEval().score());
        assertEquals(
                "file:///artifacts/iter-0/answers-policy.jsonl",
                last.seedArtifacts().evalAnswers().uri());
        assertEquals(
                "file:///artifacts/iter-1/metrics.jsonl",
                last.iterations().get(0).artifacts().metricsLog().uri());
        assertTrue(last.iterations().get(0).finishedAtMillis()
                <= last.iterations().get(1).finishedAtMillis());
        assertTrue(activities.trackingUpdates.get(0).atMillis() <= last.atMillis());
    }

    @Test
    void aTrackingServerThatStaysAwayDoesNotFailTheRun() throws Exception {
        activities.rejectTrackingAt = "track:1";
        RunResult result = newRun("tracking-down").run(spec(TRACKED_SPEC), null);

        assertEquals("completed", result.status());
        assertEquals(1, activities.count("track:2"), "the next update carries everything so far");
        assertEquals(2, activities.trackingUpdates.get(0).iterations().size());
        String details = client.newUntypedWorkflowStub("tracking-down")
                .query("__temporal_workflow_metadata", WorkflowMetadata.class)
                .getCurrentDetails();
        assertTrue(
                details.contains("| MLflow run | [mlflow-tracking-down](http://mlflow.test:5000/#/experiments/7/"
                        + "runs/mlflow-tracking-down) |"),
                details);
        assertFalse(details.contains("tracking problem"), "healed by the next update: " + details);
    }

    @Test
    void anUntrackedRunCallsNoTrackingStep() throws Exception {
        newRun("untracked").run(spec(SPEC), null);
        assertEquals(0, activities.count("track"));
        assertEquals(
                null, client.newUntypedWorkflowStub("untracked").describe().getMemo("mlflow_run_url", String.class));
    }
}
