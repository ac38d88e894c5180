package dev.tpo.workflows;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Records the histories that {@link ReplayTest} replays. Run it only when a workflow change is meant to be
 * incompatible and is released behind {@code Workflow.getVersion}: keep the old histories and add new ones,
 * {@code mvn -pl workflows test -Dtest=RecordHistories -Dtpo.recordHistories=src/test/resources/histories}.
 */
@EnabledIfSystemProperty(named = "tpo.recordHistories", matches = ".+")
class RecordHistories {
    @Test
    void recordATwoIterationRun() throws Exception {
        Path out = Path.of(System.getProperty("tpo.recordHistories"));
        Files.createDirectories(out);
        try (TestWorkflowEnvironment env = TestEnvironments.withSearchAttributes()) {
            RecordingActivities activities = new RecordingActivities();
            activities.failOnceAt = "generate:1:1";
            Worker control = env.newWorker("tpo-control");
            control.registerWorkflowImplementationTypes(TpoRunWorkflowImpl.class, TpoIterationWorkflowImpl.class);
            control.registerActivitiesImplementations(activities);
            env.newWorker("tpo-gpu").registerActivitiesImplementations(activities);
            env.start();
            WorkflowClient client = env.getWorkflowClient();
            TpoRunWorkflow run = client.newWorkflowStub(
                    TpoRunWorkflow.class,
                    WorkflowOptions.newBuilder()
                            .setWorkflowId("recorded-run")
                            .setTaskQueue("tpo-control")
                            .build());
            run.run(TpoRunWorkflowTest.spec(TpoRunWorkflowTest.SPEC), null);
            Files.writeString(
                    out.resolve("run-v1.json"),
                    client.fetchHistory("recorded-run").toJson(true));
            Files.writeString(
                    out.resolve("iteration-v1.json"),
                    client.fetchHistory("recorded-run-iter-1").toJson(true));
        }
    }

    /** A run tracked in MLflow: the tracking steps and the memo's MLflow link in history. */
    @Test
    void recordATrackedRun() throws Exception {
        Path out = Path.of(System.getProperty("tpo.recordHistories"));
        Files.createDirectories(out);
        try (TestWorkflowEnvironment env = TestEnvironments.withSearchAttributes()) {
            RecordingActivities activities = new RecordingActivities();
            Worker control = env.newWorker("tpo-control");
            control.registerWorkflowImplementationTypes(TpoRunWorkflowImpl.class, TpoIterationWorkflowImpl.class);
            control.registerActivitiesImplementations(activities);
            env.newWorker("tpo-gpu").registerActivitiesImplementations(activities);
            env.start();
            WorkflowClient client = env.getWorkflowClient();
            TpoRunWorkflow run = client.newWorkflowStub(
                    TpoRunWorkflow.class,
                    WorkflowOptions.newBuilder()
                            .setWorkflowId("recorded-tracked-run")
                            .setTaskQueue("tpo-control")
                            .build());
            run.run(TpoRunWorkflowTest.spec(TpoRunWorkflowTest.TRACKED_SPEC), null);
            Files.writeString(
                    out.resolve("run-tracked-v1.json"),
                    client.fetchHistory("recorded-tracked-run").toJson(true));
        }
    }
}
