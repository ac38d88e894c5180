package dev.tpo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.util.Modules;
import dev.tpo.activities.StepEnvironment;
import dev.tpo.api.spec.TaskQueues;
import dev.tpo.workers.ArtifactsModule;
import dev.tpo.workers.DevStack;
import dev.tpo.workers.StepImplementations;
import dev.tpo.workers.TemporalModule;
import dev.tpo.workers.TpoWorker;
import dev.tpo.workers.WorkerModule;
import dev.tpo.workers.WorkerRole;
import dev.tpo.workers.WorkerSettings;
import dev.tpo.workflows.TpoIterationWorkflow;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The run commands against a real worker in this JVM: Temporal's Java test server on a free port, S3Proxy, the
 * production Guice modules, and scripted steps in place of the model steps.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RunCommandsPipelineTest {
    @TempDir
    Path dir;

    private DevStack stack;
    private Injector injector;
    private TpoWorker worker;
    private ScriptedSteps steps;
    private String address;

    @BeforeEach
    void startStackAndWorker() throws Exception {
        stack = DevStack.start(DevStack.Settings.test(freePort(), 0, dir.resolve("data")));
        address = stack.temporalSettings().address();
        WorkerSettings settings = new WorkerSettings(WorkerRole.ALL, TaskQueues.defaults(), 2, dir.resolve("work"));
        Injector connections = Guice.createInjector(
                new TemporalModule(stack.temporalSettings()),
                new ArtifactsModule(stack.s3Settings(), settings.workDir()));
        steps = new ScriptedSteps(connections.getInstance(StepEnvironment.class));
        injector = connections.createChildInjector(Modules.override(new WorkerModule(settings))
                .with(binder -> binder.bind(StepImplementations.class).toInstance(steps)));
        worker = injector.getInstance(TpoWorker.class);
        worker.start();
    }

    @AfterEach
    void stop() throws Exception {
        worker.stop(Duration.ofSeconds(5));
        injector.getInstance(WorkflowServiceStubs.class).shutdown();
        injector.getInstance(S3Client.class).close();
        stack.close();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private Path spec() throws Exception {
        Path file = dir.resolve("spec.json");
        Files.writeString(file, """
                {"name": "pipeline", "seed_policy": "s3://tpo-artifacts/models/seed/",
                 "train_prompts": "s3://tpo-artifacts/prompts/train.jsonl",
                 "eval_prompts": "s3://tpo-artifacts/prompts/eval.jsonl",
                 "iterations": 1, "prompts_per_iteration": 4, "shards": {"generate": 2, "judge": 1}}
                """);
        return file;
    }

    private CommandOutput tpo(String... args) {
        return CommandOutput.run(withAddress(args));
    }

    private String[] withAddress(String... args) {
        String[] withAddress = new String[args.length + 2];
        System.arraycopy(args, 0, withAddress, 0, args.length);
        withAddress[args.length] = "--address";
        withAddress[args.length + 1] = address;
        return withAddress;
    }

    /** Polls {@code condition} (queries may fail while no worker answers) until it holds; fails after a minute. */
    private static void awaitTrue(BooleanSupplier condition, String failure) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (WorkflowException notYet) {
                // not started yet, or no worker answers the query at this moment
            }
            Thread.sleep(50);
        }
        throw new AssertionError(failure);
    }

    /**
     * The events of {@code workflowId}'s history after its Train activity completed, once they include a completed
     * workflow task (the workflow's reaction to it); waits up to a minute.
     */
    private static List<HistoryEvent> awaitDecisionAfterTraining(WorkflowClient client, String workflowId)
            throws InterruptedException {
        List<List<HistoryEvent>> after = new ArrayList<>();
        awaitTrue(
                () -> {
                    List<HistoryEvent> events = client.fetchHistory(workflowId).getEvents();
                    Set<Long> trainScheduled = new HashSet<>();
                    for (int i = 0; i < events.size(); i++) {
                        HistoryEvent e = events.get(i);
                        if (e.hasActivityTaskScheduledEventAttributes()
                                && e.getActivityTaskScheduledEventAttributes()
                                        .getActivityType()
                                        .getName()
                                        .equals("Train")) {
                            trainScheduled.add(e.getEventId());
                        }
                        if (e.hasActivityTaskCompletedEventAttributes()
                                && trainScheduled.contains(e.getActivityTaskCompletedEventAttributes()
                                        .getScheduledEventId())) {
                            List<HistoryEvent> rest = events.subList(i + 1, events.size());
                            if (rest.stream().anyMatch(HistoryEvent::hasWorkflowTaskCompletedEventAttributes)) {
                                after.add(List.copyOf(rest));
                                return true;
                            }
                        }
                    }
                    return false;
                },
                "no workflow task completed after training in " + workflowId);
        return after.get(0);
    }

    private CommandOutput console(String... args) {
        return CommandOutput.onConsole(withAddress(args));
    }

    @Test
    void startStatusPauseResumeWaitAndHistory() throws Exception {
        CommandOutput started = tpo("start", "--spec", spec().toString(), "--id", "run-1");
        assertEquals(0, started.exitCode(), started.toString());
        assertEquals("run-1", started.out().strip());

        assertTrue(steps.trainStarted.await(60, TimeUnit.SECONDS), "training never started");
        CommandOutput status = tpo("status", "run-1");
        assertEquals(0, status.exitCode(), status.toString());
        assertTrue(status.out().contains("(Temporal: RUNNING)"), status.toString());
        assertTrue(status.out().contains("step        train"), status.toString());
        assertTrue(status.out().contains("run-1-iter-1  Train"), status.toString());
        assertTrue(status.out().contains("pairs/count=5.000"), status.toString());

        CommandOutput paused = tpo("pause", "run-1");
        assertEquals(0, paused.exitCode(), paused.toString());
        WorkflowClient client = injector.getInstance(WorkflowClient.class);
        // The run forwards the pause to its iteration: training ends only once the iteration holds.
        awaitTrue(
                () -> client.newWorkflowStub(TpoIterationWorkflow.class, "run-1-iter-1")
                        .paused(),
                "the iteration never heard of the pause");
        steps.trainGate.countDown();
        // Once a workflow task has completed after training did, the iteration has decided what comes next, and
        // anything it scheduled is in the history right after that task: paused, it must have scheduled nothing.
        List<HistoryEvent> afterTraining = awaitDecisionAfterTraining(client, "run-1-iter-1");
        assertFalse(
                afterTraining.stream().anyMatch(HistoryEvent::hasActivityTaskScheduledEventAttributes),
                "a paused run must not start its next step: " + afterTraining);
        assertFalse(
                steps.calls.stream().anyMatch(c -> c.startsWith("iter-1/answers")),
                "a paused run must not start its next step: " + steps.calls);
        CommandOutput whilePaused = tpo("status", "run-1");
        assertTrue(whilePaused.out().contains("status      paused"), whilePaused.toString());

        assertEquals(0, tpo("resume", "run-1").exitCode());
        CommandOutput waited = tpo("wait", "run-1");
        assertEquals(0, waited.exitCode(), waited.toString());
        assertTrue(waited.out().contains("status        completed"), waited.toString());
        assertTrue(waited.out().contains("report        s3://tpo-artifacts/runs/run-1/report.json"), waited.toString());
        assertTrue(waited.out().lines().anyMatch(l -> l.startsWith("1     specific  4")), waited.toString());
        assertTrue(steps.calls.contains("iter-1/generations-0.jsonl@tpo-gpu"), steps.calls.toString());
        assertTrue(steps.calls.contains("iter-1/pairs.jsonl@tpo-control"), steps.calls.toString());

        CommandOutput history = tpo("history", "run-1");
        assertEquals(0, history.exitCode(), history.toString());
        assertTrue(history.out().contains("run-1-iter-1  Generate"), history.toString());
        assertTrue(
                history.out().lines().anyMatch(l -> l.contains("Generate") && l.contains("completed")),
                history.toString());
        assertTrue(history.out().contains("s3://tpo-artifacts/runs/run-1/iter-1/pairs.jsonl"), history.toString());
        assertTrue(history.out().matches("(?s).*[0-9a-f]{64}.*"), history.toString());
    }

    /**
     * The launcher exits as soon as a command returns, so what a command printed last (the tables of a finished
     * run) must have reached the console by then; a run under a file:// root lists its artifacts as one under s3://.
     */
    @Test
    void finishedRunPrintsItsTablesOnTheConsole() throws Exception {
        Path root = Files.createDirectories(dir.resolve("artifacts"));
        Path file = dir.resolve("file-spec.json");
        Files.writeString(
                file,
                Files.readString(spec())
                        .replace("\"iterations\"", "\"artifact_root\": \"" + root.toUri() + "\", \"iterations\""));
        assertEquals(
                0, tpo("start", "--spec", file.toString(), "--id", "file-run").exitCode());
        steps.trainGate.countDown();

        CommandOutput waited = console("wait", "file-run");
        assertEquals(0, waited.exitCode(), waited.toString());
        assertTrue(waited.out().lines().anyMatch(l -> l.startsWith("1     specific  4")), waited.toString());

        // An audit after the workers are gone: a finished run's status comes from its history, not a query.
        worker.stop(Duration.ofSeconds(5));
        CommandOutput status = console("status", "file-run");
        assertEquals(0, status.exitCode(), status.toString());
        assertTrue(status.out().contains("status      completed"), status.toString());
        assertTrue(
                status.out().lines().anyMatch(l -> l.matches("0 +seed +10 .*40\\.00 +accuracy.*")),
                "the seed's evaluation: " + status);
        assertTrue(
                status.out().lines().anyMatch(l -> l.matches("1 +specific +4 +16 .*50\\.00 +accuracy.*")),
                "the finished iteration: " + status);

        CommandOutput history = console("history", "file-run");
        assertEquals(0, history.exitCode(), history.toString());
        String artifacts = history.out().substring(history.out().indexOf("\nartifacts:"));
        String pairs = root.toUri() + "runs/file-run/iter-1/pairs.jsonl";
        assertTrue(
                artifacts
                        .lines()
                        .anyMatch(l -> l.startsWith("Pair ") && l.contains(pairs) && l.matches(".*[0-9a-f]{64} +\\d+")),
                "the pairs artifact, its digest and size: " + history);
        assertTrue(artifacts.contains(root.toUri() + "runs/file-run/iter-1/report.json"), history.toString());
    }

    @Test
    void failedRunFailsWaitWithItsCause() throws Exception {
        assertEquals(
                0, tpo("start", "--spec", spec().toString(), "--id", "bad-run").exitCode());
        CommandOutput waited = tpo("wait", "bad-run");
        assertEquals(1, waited.exitCode(), waited.toString());
        assertTrue(waited.err().startsWith("error: run 'bad-run' failed: bad-run-iter-1"), waited.toString());
        assertTrue(waited.err().contains("train.jsonl:3: missing field 'prompt' [TpoInvalidInput]"), waited.toString());

        CommandOutput history = tpo("history", "bad-run");
        assertTrue(history.out().contains("failures:"), history.toString());
        assertTrue(history.out().contains("missing field 'prompt'"), history.toString());
    }

    @Test
    void startRefusesAnInvalidSpecAndUnknownRunsAreNamed() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"seed_policy\": \"s3://b/m/\"}");
        CommandOutput start = tpo("start", "--spec", bad.toString());
        assertEquals(2, start.exitCode(), start.toString());
        assertTrue(start.err().contains("train_prompts"), start.toString());

        CommandOutput status = tpo("status", "no-such-run");
        assertEquals(2, status.exitCode(), status.toString());
        assertTrue(status.err().contains("no run with id 'no-such-run'"), status.toString());
    }

    @Test
    void startWithoutIdNamesTheRunAfterTheSpec() throws Exception {
        CommandOutput started = tpo("start", "--spec", spec().toString());
        assertEquals(0, started.exitCode(), started.toString());
        assertTrue(started.out().strip().matches("pipeline-\\d{8}-\\d{6}"), started.toString());
        assertEquals(0, tpo("stop", started.out().strip()).exitCode());
        steps.trainGate.countDown();
        CommandOutput waited = tpo("wait", started.out().strip());
        assertEquals(0, waited.exitCode(), waited.toString());
    }
}
