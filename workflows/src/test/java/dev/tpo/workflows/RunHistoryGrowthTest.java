package dev.tpo.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpo.api.steps.RunResult;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How the run's and an iteration's histories grow with the shard count (docs/paper-scale.md): progress signals
 * from wide fan-outs land in the run's history, the one that lives as long as the whole run.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RunHistoryGrowthTest {
    private static final String WIDE_SPEC = """
            {"name": "wide", "seed_policy": "file:///models/seed/", "train_prompts": "file:///data/train.jsonl",
             "eval_prompts": "file:///data/eval.jsonl", "artifact_root": "file:///artifacts/", "iterations": 2,
             "prompts_per_iteration": 64, "shards": {"generate": 64, "judge": 64},
             "generation": {"samples_per_prompt": 4}}
            """;

    @Test
    void aWideFanOutTellsTheRunAtMostSixteenTimesPerStep() throws Exception {
        try (TestWorkflowEnvironment env = TestEnvironments.withSearchAttributes()) {
            RecordingActivities activities = new RecordingActivities();
            activities.shardStaggerMillis = 40;
            Worker control = env.newWorker("tpo-control");
            control.registerWorkflowImplementationTypes(TpoRunWorkflowImpl.class, TpoIterationWorkflowImpl.class);
            control.registerActivitiesImplementations(activities);
            env.newWorker("tpo-gpu").registerActivitiesImplementations(activities);
            env.start();
            WorkflowClient client = env.getWorkflowClient();
            RunResult result = client.newWorkflowStub(
                            TpoRunWorkflow.class,
                            WorkflowOptions.newBuilder()
                                    .setWorkflowId("wide")
                                    .setTaskQueue("tpo-control")
                                    .build())
                    .run(TpoRunWorkflowTest.spec(WIDE_SPEC), null);
            assertEquals(2, result.iterations().size());
            List<HistoryEvent> runEvents = client.fetchHistory("wide").getEvents();
            long signals = runEvents.stream()
                    .filter(HistoryEvent::hasWorkflowExecutionSignaledEventAttributes)
                    .count();
            // Per iteration: the start of each of 8 steps, 3 metric reports, and up to 16 shard reports per fan-out;
            // one report per shard would be at least 2 x 128 signals.
            long bound = 2 * (8 + 3 + 2 * IterationSteps.SHARD_REPORTS_PER_STEP);
            assertTrue(signals <= bound, signals + " progress signals, more than " + bound);
            long allDone = runEvents.stream()
                    .filter(HistoryEvent::hasWorkflowExecutionSignaledEventAttributes)
                    .map(e -> e.getWorkflowExecutionSignaledEventAttributes()
                            .getInput()
                            .getPayloads(0)
                            .getData()
                            .toStringUtf8())
                    .filter(p -> p.contains("\"shards_done\":64,\"shards_total\":64"))
                    .count();
            assertEquals(
                    4, allDone, "every fan-out (2 per iteration) still tells the run when all its shards are done");
            System.out.println("history events at 64 + 64 shards, 2 iterations: run " + runEvents.size() + " ("
                    + signals + " progress signals), iteration 1 "
                    + client.fetchHistory("wide-iter-1").getEvents().size());
        }
    }
}
