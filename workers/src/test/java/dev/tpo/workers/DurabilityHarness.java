package dev.tpo.workers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.protobuf.util.Timestamps;
import dev.tpo.api.spec.TaskQueues;
import dev.tpo.api.steps.RunResult;
import dev.tpo.artifacts.S3Settings;
import dev.tpo.demo.synthetic.CharTokenizer;
import dev.tpo.model.CausalLm;
import dev.tpo.model.Compute;
import dev.tpo.model.ModelConfig;
import dev.tpo.model.ModelFolder;
import dev.tpo.model.ModelInitializer;
import dev.tpo.workers.load.WorkerProcesses;
import dev.tpo.workflows.TpoRunWorkflow;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What the durability tests share: a run small enough for CPU that still generates in chunks and trains with
 * checkpoints, worker processes started the way a deployment starts them ({@code tpo worker --role ...}, one JVM
 * each, so SIGKILL takes a whole worker down) or one worker in the test's JVM, the test's own Temporal and S3
 * clients, and what Temporal and the store say about a run in flight. Waits poll for an event with a generous
 * deadline, never a fixed sleep: the test machines are small and shared.
 */
final class DurabilityHarness implements AutoCloseable {
    static final String RUN_ID = "crash-run";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration EVENT_WITHIN = Duration.ofMinutes(4);

    private final Path dir;
    /** The dev stack this harness started and stops, or null when the test runs its own servers. */
    private DevStack stack;

    private final long started = System.nanoTime();
    private final List<Process> processes = new ArrayList<>();
    private final Map<Process, String> workerNames = new java.util.HashMap<>();
    private TemporalSettings temporal;
    private S3Settings s3;
    private Injector connections;
    private TpoWorker inProcess;

    DurabilityHarness(Path dir) {
        this.dir = dir;
    }

    /**
     * A harness on a fresh official dev server and S3Proxy of its own (under {@code dir/stack}, on free ports), which
     * {@link #close()} stops after the workers. Fails, naming the install script, when the Temporal CLI is missing:
     * never skipped.
     */
    static DurabilityHarness onRealDevStack(Path dir) throws Exception {
        DevStack stack = DevStack.start(new DevStack.Settings(
                TemporalKind.REAL, TemporalCli.locate(null), freePort(), freePort(), freePort(), dir.resolve("stack")));
        DurabilityHarness harness = new DurabilityHarness(dir);
        harness.stack = stack;
        harness.connectTo(stack.temporalSettings(), stack.s3Settings());
        return harness;
    }

    /** Connects this test to Temporal and S3, where the workers started from now on connect too. */
    void connectTo(TemporalSettings temporal, S3Settings s3) {
        this.temporal = temporal;
        this.s3 = s3;
        connections = Guice.createInjector(
                new TemporalModule(temporal), new ArtifactsModule(s3, dir.resolve("work-in-process")));
    }

    WorkflowClient client() {
        return connections.getInstance(WorkflowClient.class);
    }

    S3Client s3() {
        return connections.getInstance(S3Client.class);
    }

    /** A worker for both queues in this JVM, on the test's own connections (for when the server is what fails). */
    void startInProcessWorker() {
        WorkerSettings settings =
                new WorkerSettings(WorkerRole.ALL, TaskQueues.defaults(), 1, dir.resolve("work-in-process"));
        inProcess = connections.createChildInjector(new WorkerModule(settings)).getInstance(TpoWorker.class);
        inProcess.start();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * A one-iteration spec over a random 2-layer Llama (hidden 128) with a character tokenizer: 16 prompts x 4
     * samples in 2 generate shards of 8 one-prompt chunks, a verifier judge (control queue), DPO with a checkpoint
     * every 5 steps for {@code epochs} epochs (one step per pair), and an 8 s heartbeat timeout so that a killed
     * worker's step moves on quickly. (With 4 s, a shared 2-core machine at load 18 timed out live workers'
     * steps now and then: each such retry costs more than the longer timeout costs the two GPU kills.)
     */
    ObjectNode spec(int epochs) throws Exception {
        Path tokenizer = dir.resolve("tokenizer");
        CharTokenizer.write(tokenizer);
        Path seed = dir.resolve("seed");
        ModelConfig config = ModelConfig.llama(CharTokenizer.vocabSize(), 128, 256, 4, 4, 2, 256);
        try (CausalLm model = ModelInitializer.random(config, 5, Compute.cpu())) {
            ModelFolder.save(model, seed, tokenizer);
        }
        StringBuilder train = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            train.append(
                    String.format("{\"id\":\"t%d\",\"prompt\":\"Say a letter, %d.\",\"reference\":\"a\"}%n", i, i));
        }
        Files.writeString(dir.resolve("train.jsonl"), train);
        Files.writeString(
                dir.resolve("eval.jsonl"), "{\"id\":\"e0\",\"prompt\":\"Say a letter.\",\"reference\":\"a\"}\n");
        ObjectNode spec = JSON.createObjectNode();
        spec.put("name", "crash");
        spec.put("seed_policy", seed.toUri().toString());
        spec.put("train_prompts", dir.resolve("train.jsonl").toUri().toString());
        spec.put("eval_prompts", dir.resolve("eval.jsonl").toUri().toString());
        spec.put("iterations", 1);
        spec.put("prompts_per_iteration", 16);
        spec.put("heartbeat_timeout_seconds", 8);
        spec.putObject("thought").put("mode", "none");
        ObjectNode generation = spec.putObject("generation");
        generation.put("samples_per_prompt", 4);
        generation.put("max_new_tokens", 48);
        generation.put("batch_size", 4);
        // A random model answers at random: the first of a..e in each response makes scores differ, so there are
        // pairs to train on.
        ObjectNode judge = spec.putObject("judge");
        judge.put("verifier_mode", "regex");
        judge.put("verifier_regex", "([a-e])");
        ObjectNode dpo = spec.putObject("dpo");
        dpo.put("learning_rate", 1e-4);
        dpo.put("num_train_epochs", epochs);
        dpo.put("per_device_train_batch_size", 1);
        dpo.put("save_steps", 5);
        ObjectNode evaluation = spec.putObject("evaluation");
        evaluation.put("baseline", "none");
        evaluation.put("evaluate_seed", false);
        evaluation.put("max_new_tokens", 8);
        ObjectNode shards = spec.putObject("shards");
        shards.put("generate", 2);
        shards.put("judge", 1);
        return spec;
    }

    /**
     * A separate JVM running {@code tpo worker --role ROLE}, as a node would; its output goes to
     * {@code worker-NAME.log}. {@link Process#destroyForcibly()} is SIGKILL, {@link Process#destroy()} SIGTERM.
     */
    Process worker(String role, String name) throws IOException {
        return worker(role, name, Map.of());
    }

    /** The same, with {@code environment} added to the worker's (an endpoint judge's API key, say). */
    Process worker(String role, String name, Map<String, String> environment) throws IOException {
        Process p = new WorkerProcesses(temporal, s3, dir).start(role, name, environment, Duration.ofSeconds(60));
        processes.add(p);
        workerNames.put(p, name);
        return p;
    }

    /** Says what happened when, for reading a slow or failed run on a busy machine. */
    void note(String what) {
        System.err.printf(
                java.util.Locale.ROOT,
                "[%s +%.1f s] %s%n",
                dir.getFileName(),
                (System.nanoTime() - started) / 1e9,
                what);
    }

    /** The attempts of each activity of the iteration, from its history: more than the kills caused means trouble. */
    static String attempts(WorkflowClient client) {
        return attempts(client, 1);
    }

    /** {@link #attempts(WorkflowClient)} of iteration {@code iteration}. */
    static String attempts(WorkflowClient client, int iteration) {
        Map<String, Integer> last = new TreeMap<>();
        Map<Long, String> types = new java.util.HashMap<>();
        for (var e : client.fetchHistory(RUN_ID + "-iter-" + iteration).getEvents()) {
            if (e.hasActivityTaskScheduledEventAttributes()) {
                types.put(
                        e.getEventId(),
                        e.getActivityTaskScheduledEventAttributes()
                                        .getActivityType()
                                        .getName() + "#" + e.getEventId());
            } else if (e.hasActivityTaskStartedEventAttributes()) {
                var started = e.getActivityTaskStartedEventAttributes();
                last.put(types.get(started.getScheduledEventId()), started.getAttempt());
            }
        }
        return last.toString();
    }

    /**
     * The attempts each worker process ended with a failure ({@code gpu-3=[Train#2]}), from the SDK's warnings in
     * their logs: with {@link #attempts}, what explains a retry nobody caused.
     */
    String failedAttempts() throws IOException {
        Map<String, List<String>> out = new TreeMap<>();
        Pattern failure = Pattern.compile("Activity failure\\. .*activityType=(\\w+), attempt=(\\d+)");
        try (var logs = Files.newDirectoryStream(dir, "worker-*.log")) {
            for (Path log : logs) {
                String name = log.getFileName().toString().replaceAll("^worker-|\\.log$", "");
                for (String line : Files.readAllLines(log)) {
                    Matcher m = failure.matcher(line);
                    if (m.find()) {
                        out.computeIfAbsent(name, k -> new ArrayList<>()).add(m.group(1) + "#" + m.group(2));
                    }
                }
            }
        }
        return out.toString();
    }

    /** The name a worker process was started with ({@code gpu-3}). */
    String workerName(Process worker) {
        return workerNames.get(worker);
    }

    Path log(String workerName) {
        return dir.resolve("worker-" + workerName + ".log");
    }

    /** SIGKILL, and waits until the process is gone (its sockets closed, its polls dead). */
    static void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "a SIGKILLed worker is gone");
    }

    /**
     * Waits until the iteration's pending activities of {@code type} satisfy {@code ready} (each with its heartbeat
     * details decoded as {@code details}, or null before its first heartbeat) and returns them. Fails at once if the
     * run ends first.
     */
    <T> List<Pending<T>> await(
            WorkflowClient client,
            CompletableFuture<RunResult> result,
            String type,
            Class<T> details,
            Predicate<List<Pending<T>>> ready)
            throws Exception {
        return await(client, result, 1, type, details, ready);
    }

    /** {@link #await(WorkflowClient, CompletableFuture, String, Class, Predicate)} in iteration {@code iteration}. */
    <T> List<Pending<T>> await(
            WorkflowClient client,
            CompletableFuture<RunResult> result,
            int iteration,
            String type,
            Class<T> details,
            Predicate<List<Pending<T>>> ready)
            throws Exception {
        long deadline = System.nanoTime() + EVENT_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (result.isDone()) {
                throw new AssertionError("the run ended while the test waited for " + type + ": "
                        + result.handle((r, e) -> e == null ? r.toString() : failureText(e))
                                .get());
            }
            List<Pending<T>> pending = pending(client, iteration, type, details);
            if (ready.test(pending)) {
                return pending;
            }
            Thread.sleep(100);
        }
        String progress;
        try {
            progress = client.newWorkflowStub(TpoRunWorkflow.class, RUN_ID)
                    .progress()
                    .toString();
        } catch (RuntimeException e) {
            progress = e.toString();
        }
        throw new AssertionError("no such " + type + " state within " + EVENT_WITHIN.toMinutes() + " min; run progress "
                + progress + "; worker logs under " + dir);
    }

    /** Waits for one pending {@code type} activity whose heartbeat details satisfy {@code ready}. */
    <T> T awaitHeartbeat(
            WorkflowClient client,
            CompletableFuture<RunResult> result,
            String type,
            Class<T> details,
            Predicate<T> ready)
            throws Exception {
        return await(
                        client,
                        result,
                        type,
                        details,
                        all -> all.stream().anyMatch(p -> p.details() != null && ready.test(p.details())))
                .stream()
                .filter(p -> p.details() != null && ready.test(p.details()))
                .findFirst()
                .orElseThrow()
                .details();
    }

    /**
     * A pending activity: its attempt, the worker that last started it ({@code pid@host}), its last heartbeat
     * details (null before the first) and whether they come from the attempt now running; a retry keeps the details
     * of the attempt before it until it heartbeats itself; and when it last started (null before it did).
     */
    record Pending<T>(int attempt, String worker, T details, boolean detailsFromThisAttempt, Instant startedAt) {
        /** Started on {@code process} and heartbeated from there. */
        boolean heartbeatingOn(Process process) {
            return detailsFromThisAttempt && details != null && worker.startsWith(process.pid() + "@");
        }
    }

    /** The first iteration's pending activities of {@code type}, as Temporal has them now. */
    static <T> List<Pending<T>> pending(WorkflowClient client, String type, Class<T> details) {
        return pending(client, 1, type, details);
    }

    /** Iteration {@code iteration}'s pending activities of {@code type}. */
    static <T> List<Pending<T>> pending(WorkflowClient client, int iteration, String type, Class<T> details) {
        DescribeWorkflowExecutionRequest request = DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(client.getOptions().getNamespace())
                .setExecution(WorkflowExecution.newBuilder()
                        .setWorkflowId(RUN_ID + "-iter-" + iteration)
                        .build())
                .build();
        List<Pending<T>> out = new ArrayList<>();
        try {
            for (PendingActivityInfo a : client.getWorkflowServiceStubs()
                    .blockingStub()
                    .withDeadlineAfter(20, TimeUnit.SECONDS)
                    .describeWorkflowExecution(request)
                    .getPendingActivitiesList()) {
                if (a.getActivityType().getName().equals(type)) {
                    T decoded =
                            a.hasHeartbeatDetails() && a.getHeartbeatDetails().getPayloadsCount() > 0
                                    // The client's own converter reads them as the worker wrote them.
                                    ? client.getOptions()
                                            .getDataConverter()
                                            .fromPayloads(0, Optional.of(a.getHeartbeatDetails()), details, details)
                                    : null;
                    boolean fromThisAttempt = a.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED
                            && a.hasLastHeartbeatTime()
                            && a.hasLastStartedTime()
                            && Timestamps.compare(a.getLastHeartbeatTime(), a.getLastStartedTime()) >= 0;
                    Instant startedAt = a.hasLastStartedTime()
                            ? Instant.ofEpochSecond(
                                    a.getLastStartedTime().getSeconds(),
                                    a.getLastStartedTime().getNanos())
                            : null;
                    out.add(new Pending<>(
                            a.getAttempt(), a.getLastWorkerIdentity(), decoded, fromThisAttempt, startedAt));
                }
            }
        } catch (StatusRuntimeException e) {
            // Not started yet (NOT_FOUND), or a server that is restarting or busy: ask again.
            Status.Code code = e.getStatus().getCode();
            if (code != Status.Code.NOT_FOUND
                    && code != Status.Code.UNAVAILABLE
                    && code != Status.Code.DEADLINE_EXCEEDED) {
                throw e;
            }
        }
        return out;
    }

    /** Every object under {@code prefix} with its last-modified time: a later listing shows what was rewritten. */
    static Map<String, Instant> objects(S3Client s3, String prefix) {
        Map<String, Instant> out = new TreeMap<>();
        for (S3Object o : s3.listObjectsV2Paginator(ListObjectsV2Request.builder()
                        .bucket(DevStack.BUCKET)
                        .prefix(prefix)
                        .build())
                .contents()) {
            // S3Proxy's filesystem store also lists its folders, whose times change as files are added to them.
            if (!o.key().endsWith("/")) {
                out.put(o.key(), o.lastModified());
            }
        }
        return out;
    }

    /** The step of a {@code .../checkpoints/checkpoint-N/} URI. */
    static int checkpointStep(String uri) {
        Matcher m = Pattern.compile("checkpoint-(\\d+)").matcher(uri);
        assertTrue(m.find(), "a checkpoint in " + uri);
        return Integer.parseInt(m.group(1));
    }

    /** The chain of causes of a failed run, one line. */
    static String failureText(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            b.append(" <- ").append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        }
        return b.toString();
    }

    @Override
    public void close() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        for (Process p : processes) {
            p.waitFor(30, TimeUnit.SECONDS);
        }
        if (inProcess != null) {
            inProcess.stop(Duration.ofSeconds(5));
        }
        if (connections != null) {
            connections.getInstance(WorkflowServiceStubs.class).shutdown();
            connections.getInstance(S3Client.class).close();
        }
        if (stack != null) {
            stack.close();
        }
    }
}
