package dev.tpo.workers;

import static dev.tpo.workers.DurabilityHarness.kill;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpo.activities.heartbeat.GenerateProgress;
import dev.tpo.activities.heartbeat.WorkerDrain;
import dev.tpo.api.spec.TaskQueues;
import dev.tpo.api.steps.IterationSummary;
import dev.tpo.api.steps.RunResult;
import dev.tpo.demo.synthetic.CharTokenizer;
import dev.tpo.model.CausalLm;
import dev.tpo.model.Compute;
import dev.tpo.model.ModelConfig;
import dev.tpo.model.ModelFolder;
import dev.tpo.model.ModelInitializer;
import dev.tpo.workers.DurabilityHarness.Pending;
import dev.tpo.workflows.TpoRunWorkflow;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The rest of the worker fault matrix ({@link WorkerCrashTest} has generation and training), in one two-iteration
 * run on the official Temporal server with every worker its own JVM and a reward-model judge (so judging and
 * evaluation run on the GPU queue). Iteration 1 SIGKILLs a GPU worker during judge, reference log-probs, answer and
 * evaluate, the control worker during pair, and the control worker again between the iterations; iteration 2
 * SIGTERMs (drains) a GPU worker during generate, judge, reference log-probs and answer. Each fault is injected once
 * Temporal shows the step's attempt started on the worker that gets it, and the run's history shows afterwards that
 * it landed there: a killed step's attempt on that worker never completed; a drained generation shard was handed on
 * after its chunk, and the other drained steps completed on the draining worker after the SIGTERM.
 *
 * <p>At the end: the run completed; nothing stored before a fault was written again; the manifest has one entry per
 * artifact, each naming a stored object with its digest, and every stored step output has one; and no step took more
 * attempts than the faults explain.
 */
@Tag("real-server")
@Tag("multi-process")
class WorkerFaultMatrixTest {
    private static final String RUN = "runs/" + DurabilityHarness.RUN_ID + "/";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    private DurabilityHarness harness;
    private WorkflowClient client;
    private S3Client s3;
    private CompletableFuture<RunResult> result;
    /** What the store held right after each fault: none of it may be written again. */
    private final Map<String, Map<String, Instant>> storedAtFault = new TreeMap<>();

    private final List<Fault> faults = new ArrayList<>();

    /** One injected fault: where it landed is checked against the history once the run is over. */
    private record Fault(
            String what, int iteration, String activity, Process worker, boolean drain, Instant at, int attempts) {}

    @AfterEach
    void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void everyStepOutlivesAKilledOrDrainedWorkerWithoutRedoingFinishedWork() throws Exception {
        harness = DurabilityHarness.onRealDevStack(tmp);
        client = harness.client();
        s3 = harness.s3();

        ObjectNode spec = harness.spec(1);
        spec.put("iterations", 2);
        ObjectNode judge = spec.putObject("judge");
        judge.put("type", "reward_model");
        judge.put("model", rewardModel(tmp.resolve("reward-model"), tmp.resolve("tokenizer")));
        // Enough eval prompts that answering is real work, as generation is.
        StringBuilder eval = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            eval.append(String.format("{\"id\":\"e%d\",\"prompt\":\"Say a letter, %d.\",\"reference\":\"a\"}%n", i, i));
        }
        Files.writeString(tmp.resolve("eval.jsonl"), eval);
        ((ObjectNode) spec.get("evaluation")).put("max_new_tokens", 32);

        Process control = harness.worker("control", "control-1");
        Process gpu = harness.worker("gpu", "gpu-1");
        TpoRunWorkflow run = client.newWorkflowStub(
                TpoRunWorkflow.class,
                WorkflowOptions.newBuilder()
                        .setWorkflowId(DurabilityHarness.RUN_ID)
                        .setTaskQueue(TaskQueues.DEFAULT_CONTROL)
                        .build());
        WorkflowClient.start(run::run, spec, null);
        result = WorkflowStub.fromTyped(run).getResultAsync(RunResult.class);

        // Iteration 1: SIGKILL, each step on a worker that has not seen it before.
        gpu = killDuring(1, "Judge", gpu, "gpu", "gpu-2");
        control = killDuring(1, "Pair", control, "control", "control-2");
        gpu = killDuring(1, "ReferenceLogProbs", gpu, "gpu", "gpu-3");
        gpu = killDuring(1, "Answer", gpu, "gpu", "gpu-4");
        gpu = killDuring(1, "Evaluate", gpu, "gpu", "gpu-5");
        killBetweenIterations(control);
        Process control3 = harness.worker("control", "control-3");

        // Iteration 2: SIGTERM. Generation stops after its chunk and hands the shard on; the shorter steps finish.
        gpu = drainDuring(
                2,
                "Generate",
                GenerateProgress.class,
                gpu,
                "gpu-6",
                p -> p.details() != null && p.details().nextChunk() >= 1);
        gpu = drainDuring(2, "Judge", JsonNode.class, gpu, "gpu-7", p -> true);
        gpu = drainDuring(2, "ReferenceLogProbs", JsonNode.class, gpu, "gpu-8", p -> true);
        drainDuring(2, "Answer", JsonNode.class, gpu, "gpu-9", p -> true);

        RunResult done = result.get(8, TimeUnit.MINUTES);
        for (int i = 0; i < faults.size(); i++) {
            if (faults.get(i).drain()) {
                faults.set(i, drainedCleanly(faults.get(i)));
            }
        }
        harness.note("run completed; failed attempts by worker " + harness.failedAttempts());
        Map<String, List<StepAttempt>> history = new TreeMap<>();
        for (String workflow : List.of("", "-iter-1", "-iter-2")) {
            history.put(workflow, StepAttempt.read(client, DurabilityHarness.RUN_ID + workflow));
            harness.note("attempts " + workflow + ": " + history.get(workflow));
        }

        assertEquals("completed", done.status());
        assertEquals(2, done.iterations().size());
        for (IterationSummary iteration : done.iterations()) {
            assertTrue(iteration.pairs().pairs() > 0, "a reward model scores every sample apart: " + iteration);
        }
        assertEquals(10, faults.size(), "faults injected: " + faults);
        assertAll(
                () -> faultsLandedDuringTheirSteps(history, control3),
                () -> attemptsAreExplainedByTheFaults(history),
                this::nothingStoredBeforeAFaultWasWrittenAgain,
                // Per iteration: prompts and 2 shards, 2 generation shards, 1 judge shard, pairs, training pairs,
                // the model and its metrics, the answers and the evaluation's 4 files.
                () -> ManifestAudit.assertOneEntryPerStoredOutput(s3, 2 * 15));
    }

    /**
     * SIGKILLs {@code worker} once Temporal reports {@code activity} started on it, and starts {@code next} in its
     * place.
     */
    private Process killDuring(int iteration, String activity, Process worker, String role, String next)
            throws Exception {
        int attempts = awaitStartedOn(iteration, activity, JsonNode.class, worker, 0, p -> true);
        kill(worker);
        Instant at = Instant.now();
        recordFault(
                new Fault("SIGKILL " + role + " during " + activity, iteration, activity, worker, false, at, attempts));
        return harness.worker(role, next);
    }

    /** SIGTERMs {@code worker} once {@code activity} runs there as {@code ready} says; {@code next} takes over. */
    private <T> Process drainDuring(
            int iteration, String activity, Class<T> details, Process worker, String next, Predicate<Pending<T>> ready)
            throws Exception {
        // A task reaching a worker as it begins to shut down is dropped (Temporal retries it only after the heartbeat
        // timeout): the SIGTERM waits until the step has run a moment there; the short steps last a second or more.
        awaitStartedOn(iteration, activity, details, worker, 300, ready);
        Instant at = Instant.now();
        worker.destroy();
        Process replacement = harness.worker("gpu", next);
        // Its exit is checked once the run is over: the next step may start and end on the replacement meanwhile.
        recordFault(new Fault("SIGTERM gpu during " + activity, iteration, activity, worker, true, at, 0));
        return replacement;
    }

    /**
     * The drained worker exited within its grace, with no native crash, and every attempt it ended (generation's,
     * at a chunk; both shards where it ran both) it ended as a drain. Returns the fault with those attempts.
     */
    private Fault drainedCleanly(Fault fault) throws Exception {
        assertTrue(fault.worker().waitFor(60, TimeUnit.SECONDS), fault.what() + ": the drained worker exits");
        String log = Files.readString(harness.log(workerName(fault.worker())));
        assertFalse(log.contains("fatal error"), "no native crash on the way out:\n" + log);
        // The SDK refuses heartbeats while the worker shuts down; that must not fail the step it is finishing.
        assertFalse(
                log.contains("ActivityWorkerShutdownException"),
                fault.what() + ": the step failed on the draining worker's refused heartbeat:\n" + log);
        int handedOn = (int)
                Pattern.compile("activityType=" + fault.activity() + ", attempt=\\d+\\R.*type='" + WorkerDrain.TYPE)
                        .matcher(log)
                        .results()
                        .count();
        assertEquals(
                handedOn,
                Pattern.compile("Activity failure\\.").matcher(log).results().count(),
                fault.what() + ": every attempt the draining worker ended, it ended as a drain:\n" + log);
        return new Fault(fault.what(), fault.iteration(), fault.activity(), fault.worker(), true, fault.at(), handedOn);
    }

    /**
     * The iteration's child workflow has completed and the run has not yet been handed its result: the control
     * worker goes, and whether it landed before iteration 2's first step is read from the history at the end.
     */
    private void killBetweenIterations(Process control) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        DescribeWorkflowExecutionRequest request = DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(client.getOptions().getNamespace())
                .setExecution(io.temporal.api.common.v1.WorkflowExecution.newBuilder()
                        .setWorkflowId(DurabilityHarness.RUN_ID + "-iter-1")
                        .build())
                .build();
        while (client.getWorkflowServiceStubs()
                        .blockingStub()
                        .describeWorkflowExecution(request)
                        .getWorkflowExecutionInfo()
                        .getStatus()
                != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
            assertTrue(System.nanoTime() < deadline, "iteration 1 completes");
            assertFalse(result.isDone(), "the run ended before iteration 1 completed");
            Thread.sleep(20);
        }
        kill(control);
        recordFault(
                new Fault("SIGKILL control between iterations", 2, "SelectPrompts", control, false, Instant.now(), 1));
    }

    /**
     * Waits until {@code activity} has run on {@code worker} for {@code runningForMillis} as {@code ready} says; returns how many attempts of it run
     * there (a GPU worker may run both generation shards), each of which the fault sends to a retry.
     */
    private <T> int awaitStartedOn(
            int iteration,
            String activity,
            Class<T> details,
            Process worker,
            long runningForMillis,
            Predicate<Pending<T>> ready)
            throws Exception {
        // A tight poll: the short steps (pair, reference) take a second or two on a fresh worker.
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (true) {
            assertFalse(result.isDone(), "the run ended while waiting for " + activity + " on " + workerName(worker));
            List<Pending<T>> pending = DurabilityHarness.pending(client, iteration, activity, details);
            Instant settled = Instant.now().minusMillis(runningForMillis);
            if (pending.stream()
                    .anyMatch(p -> p.worker().startsWith(worker.pid() + "@")
                            && p.startedAt() != null
                            && !p.startedAt().isAfter(settled)
                            && ready.test(p))) {
                return (int) pending.stream()
                        .filter(p -> p.worker().startsWith(worker.pid() + "@"))
                        .count();
            }
            assertTrue(
                    System.nanoTime() < deadline,
                    activity + " of iteration " + iteration + " never started on " + workerName(worker));
            Thread.sleep(20);
        }
    }

    private void recordFault(Fault fault) {
        faults.add(fault);
        storedAtFault.put(faults.size() + ": " + fault.what(), DurabilityHarness.objects(s3, RUN));
        harness.note(fault.what() + " (" + workerName(fault.worker()) + ", iteration " + fault.iteration() + ")");
    }

    private String workerName(Process worker) {
        return harness.workerName(worker);
    }

    /**
     * A SIGKILLed step's attempt on the killed worker never completed: the step completed on a later attempt
     * elsewhere. A drained step either completed on the draining worker after the SIGTERM or was handed on.
     */
    private void faultsLandedDuringTheirSteps(Map<String, List<StepAttempt>> history, Process control3) {
        for (Fault fault : faults) {
            List<StepAttempt> steps = history.get("-iter-" + fault.iteration()).stream()
                    .filter(a -> a.activity().equals(fault.activity()))
                    .toList();
            assertFalse(steps.isEmpty(), fault.what() + ": the step ran");
            String killed = fault.worker().pid() + "@";
            if (fault.activity().equals("SelectPrompts")) {
                // Between iterations: everything of iteration 2 ran on the next control worker.
                steps.forEach(a -> assertTrue(
                        a.worker().startsWith(control3.pid() + "@"),
                        fault.what() + ": iteration 2 started on control-3, not on the killed worker: " + a));
            } else if (!fault.drain()) {
                assertTrue(
                        steps.stream()
                                .anyMatch(a -> a.attempt() >= 2 && !a.worker().startsWith(killed)),
                        fault.what() + ": the step was completed by a retry on another worker: " + steps);
            } else if (fault.activity().equals("Generate")) {
                assertTrue(fault.attempts() >= 1, fault.what() + ": the drain handed a shard on");
                assertTrue(
                        steps.stream()
                                .anyMatch(a -> a.attempt() >= 2 && !a.worker().startsWith(killed)),
                        fault.what() + ": the shard was handed on after its chunk: " + steps);
            } else {
                assertTrue(
                        steps.stream()
                                .anyMatch(a -> a.attempt() == 1
                                        && a.worker().startsWith(killed)
                                        && a.closedAt().isAfter(fault.at())),
                        fault.what() + ": the step finished on the draining worker after the SIGTERM: " + steps);
            }
        }
    }

    /**
     * Each attempt running on a killed worker took one retry, as did each generation shard on a drained one; beyond
     * those, only an attempt that Temporal timed out while its worker lived (a machine too loaded to heartbeat in time, which its worker's log shows) may
     * have been retried.
     */
    private void attemptsAreExplainedByTheFaults(Map<String, List<StepAttempt>> history) throws IOException {
        Map<String, Integer> retriesExplained = new HashMap<>();
        for (Fault fault : faults) {
            retriesExplained.merge(fault.iteration() + "/" + fault.activity(), fault.attempts(), Integer::sum);
        }
        Map<String, Integer> timedOut = attemptsTimedOutOnLiveWorkers();
        harness.note("attempts timed out by the server while their worker lived: " + timedOut);
        timedOut.forEach((step, count) -> retriesExplained.merge(step, count, Integer::sum));
        Map<String, Integer> retries = new TreeMap<>();
        history.forEach((workflow, attempts) -> attempts.forEach(a -> {
            if (a.attempt() > 1) {
                retries.merge(workflow.replace("-iter-", "") + "/" + a.activity(), a.attempt() - 1, Integer::sum);
            }
        }));
        retries.forEach((step, count) -> assertTrue(
                count <= retriesExplained.getOrDefault(step, 0),
                step + " retried " + count + " times; the faults explain " + retriesExplained.getOrDefault(step, 0)
                        + " (all retries: " + retries + ")"));
    }

    /**
     * Per {@code iteration/Activity}, the attempts a live worker gave up because Temporal no longer knew them (it had
     * timed them out): "Activity failure ... activityType=T" followed by ActivityNotExistsException in its log.
     */
    private Map<String, Integer> attemptsTimedOutOnLiveWorkers() throws IOException {
        Pattern failure = Pattern.compile("Activity failure\\. .*activityType=(\\w+), attempt=\\d+");
        Pattern unknown = Pattern.compile(
                "ActivityNotExistsException: WorkflowId=" + DurabilityHarness.RUN_ID + "(?:-iter-(\\d+))?,");
        Map<String, Integer> out = new TreeMap<>();
        try (var logs = Files.newDirectoryStream(tmp, "worker-*.log")) {
            for (Path log : logs) {
                List<String> lines = Files.readAllLines(log);
                for (int i = 0; i + 1 < lines.size(); i++) {
                    Matcher f = failure.matcher(lines.get(i));
                    Matcher u = unknown.matcher(lines.get(i + 1));
                    if (f.find() && u.find()) {
                        String iteration = u.group(1) == null ? "" : u.group(1);
                        out.merge(iteration + "/" + f.group(1), 1, Integer::sum);
                    }
                }
            }
        }
        return out;
    }

    /** Same objects, same last-modified times: the retries reused what was stored and added the rest beside it. */
    private void nothingStoredBeforeAFaultWasWrittenAgain() {
        Map<String, Instant> end = DurabilityHarness.objects(s3, RUN);
        storedAtFault.forEach((fault, stored) -> stored.forEach((key, time) -> assertEquals(
                time, end.get(key), key + ", stored before fault " + fault + ", was written again or removed")));
    }

    /**
     * A LlamaForSequenceClassification over the character tokenizer, the policy's shape: random scores, but a real
     * model load and forward pass on the GPU queue, as a reward-model judge is. Returns its folder URI.
     */
    private static String rewardModel(Path dir, Path tokenizer) {
        ObjectNode json = ModelConfig.llama(CharTokenizer.vocabSize(), 128, 256, 2, 4, 2, 256)
                .json()
                .deepCopy();
        json.putArray("architectures").add("LlamaForSequenceClassification");
        json.put("num_labels", 1);
        try (CausalLm model = ModelInitializer.random(ModelConfig.parse(json, "reward model"), 7, Compute.cpu())) {
            ModelFolder.save(model, dir, tokenizer);
        }
        return dir.toUri().toString();
    }
}
