package dev.tpo.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.api.CorruptArtifact;
import dev.tpo.api.Failures;
import dev.tpo.api.steps.RunResult;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A step that finds its input corrupt ({@link Failures#ARTIFACT_INTEGRITY} naming the object) gets the producing
 * step run again and then runs once more; nothing else is redone.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CorruptInputRecoveryTest {
    private static final String SPEC = """
            {"name": "unit", "seed_policy": "file:///models/seed/", "train_prompts": "file:///data/train.jsonl",
             "eval_prompts": "file:///data/eval.jsonl", "artifact_root": "file:///artifacts/", "iterations": 1,
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
        Worker control = env.newWorker(RecordingActivities.CONTROL);
        control.registerWorkflowImplementationTypes(TpoRunWorkflowImpl.class, TpoIterationWorkflowImpl.class);
        control.registerActivitiesImplementations(activities);
        env.newWorker(RecordingActivities.GPU).registerActivitiesImplementations(activities);
        env.start();
        client = env.getWorkflowClient();
    }

    @AfterEach
    void stop() {
        env.close();
    }

    private RunResult run(String id) throws Exception {
        return client.newWorkflowStub(
                        TpoRunWorkflow.class,
                        WorkflowOptions.newBuilder()
                                .setWorkflowId(id)
                                .setTaskQueue(RecordingActivities.CONTROL)
                                .build())
                .run(new ObjectMapper().readTree(SPEC), null);
    }

    @Test
    void aGenerationShardTheJudgeFindsCorruptIsGeneratedAgainAndJudgedOnce() throws Exception {
        // Judge shard 0 takes generation shards 0 and 2 (round robin); shard 2's file is corrupt.
        activities.corruptInputOnce.put(
                "judge:1:0",
                RecordingActivities.ref("iter-1/generations-2.jsonl").uri());

        RunResult result = run("corrupt-generation");

        assertEquals("completed", result.status());
        assertEquals(2, activities.count("generate:1:2"), "the corrupt shard was generated again");
        assertEquals(1, activities.count("generate:1:0"));
        assertEquals(1, activities.count("generate:1:1"));
        assertEquals(2, activities.count("judge:1:0"), "the judge shard ran again after the recompute");
        assertEquals(1, activities.count("judge:1:1"));
        List<String> order = activities.calls.stream()
                .filter(c -> c.equals("generate:1:2") || c.equals("judge:1:0"))
                .toList();
        assertEquals(List.of("generate:1:2", "judge:1:0", "generate:1:2", "judge:1:0"), order);
        assertEquals(1, activities.count("pair:1"));
    }

    @Test
    void trainingPairsFoundCorruptBeforeTrainingAreScoredAgain() throws Exception {
        activities.corruptInputOnce.put(
                "train:1", RecordingActivities.ref("iter-1/ref-logps.jsonl").uri());

        RunResult result = run("corrupt-training-pairs");

        assertEquals("completed", result.status());
        assertEquals(2, activities.count("reference:1"));
        assertEquals(2, activities.count("train:1"));
        assertEquals(1, activities.count("pair:1"), "only the producer of the corrupt file ran again");
    }

    @Test
    void aCorruptPairsFileFoundByTheReferenceStepIsPairedAgain() throws Exception {
        activities.corruptInputOnce.put(
                "reference:1", RecordingActivities.ref("iter-1/pairs.jsonl").uri());

        assertEquals("completed", run("corrupt-pairs").status());
        assertEquals(2, activities.count("pair:1"));
        assertEquals(2, activities.count("reference:1"));
        assertEquals(1, activities.count("judge:1:0"));
    }

    @Test
    void aCorruptArtifactNoStepOfTheIterationProducedFailsTheRun() {
        activities.corruptInputOnce.put("judge:1:1", "file:///data/judge-model/model.safetensors");

        WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> run("corrupt-input"));

        Throwable cause = e;
        while (!(cause instanceof ApplicationFailure) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        ApplicationFailure failure = assertInstanceOf(ApplicationFailure.class, cause);
        assertEquals(Failures.ARTIFACT_INTEGRITY, failure.getType());
        assertEquals(
                "file:///data/judge-model/model.safetensors",
                failure.getDetails().get(CorruptArtifact.class).uri());
        assertEquals(1, activities.count("judge:1:1"), "not retried");
        assertEquals(1, activities.count("generate:1:1"), "nothing recomputed");
    }
}
