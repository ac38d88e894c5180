package dev.tpo.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.tpo.api.spec.TaskQueues;
import dev.tpo.workers.ArtifactsModule;
import dev.tpo.workers.DevStack;
import dev.tpo.workers.TemporalCli;
import dev.tpo.workers.TemporalKind;
import dev.tpo.workers.TemporalModule;
import dev.tpo.workers.load.ConcurrentRuns;
import dev.tpo.workers.load.Latencies;
import dev.tpo.workers.load.RunHistories;
import dev.tpo.workers.load.RunOutcome;
import dev.tpo.workers.load.TinyRunSpec;
import dev.tpo.workers.load.WorkerProcesses;
import dev.tpo.workflows.TpoRunWorkflow;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The load and scale-out benchmark (scripts/bench-load.sh), on the official Temporal dev server with every worker
 * its own {@code tpo worker} JVM: N tiny runs started at once (runs per minute, each step type's schedule-to-start
 * latency, workflow-task times and failures from the histories), then one iteration's generate + judge throughput
 * with S shards on one GPU worker and on two, side by side. Prints a table and writes the results as JSON.
 */
@Command(
        name = "load",
        mixinStandardHelpOptions = true,
        description = "Concurrent runs on the real Temporal server and GPU-worker scale-out; prints the numbers.")
final class LoadBenchCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final List<String> GENERATE_AND_JUDGE = List.of("Generate", "Judge");

    @Spec
    CommandSpec spec;

    @Option(names = "--runs", defaultValue = "20", description = "runs started at once (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--control-workers", defaultValue = "2")
    int controlWorkers;

    @Option(names = "--gpu-workers", defaultValue = "2", description = "GPU workers for the concurrent runs")
    int gpuWorkers;

    @Option(names = "--shards", defaultValue = "4", description = "generate and judge shards of the scale-out run")
    int shards;

    @Option(names = "--work", defaultValue = ".cache/bench-load", description = "servers' data, inputs, worker logs")
    Path work;

    @Option(names = "--json", description = "write the results here")
    Path json;

    @Option(names = "--machine", defaultValue = "", description = "a description of the machine, kept in the JSON")
    String machine;

    @Option(names = "--temporal-cli", description = "the Temporal CLI (default: found as tpo dev-stack finds it)")
    Path temporalCli;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Files.createDirectories(work);
        Path data = Files.createTempDirectory(work, "run-");
        ObjectNode results = JSON.createObjectNode();
        results.put("machine", machine);
        results.put("measured_at", Instant.now().toString());
        try (DevStack stack = DevStack.start(new DevStack.Settings(
                TemporalKind.REAL,
                TemporalCli.locate(temporalCli),
                freePort(),
                freePort(),
                freePort(),
                data.resolve("stack")))) {
            Injector connections = Guice.createInjector(
                    new TemporalModule(stack.temporalSettings()),
                    new ArtifactsModule(stack.s3Settings(), data.resolve("client-work")));
            WorkflowClient client = connections.getInstance(WorkflowClient.class);
            try {
                results.set("load", concurrentRuns(stack, client, data, out));
                results.set("scale_out", scaleOut(stack, client, data, out));
            } finally {
                connections.getInstance(WorkflowServiceStubs.class).shutdown();
                connections.getInstance(S3Client.class).close();
            }
        }
        if (json != null) {
            Path parent = json.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            JSON.writeValue(json.toFile(), results);
            out.println("results: " + json);
        }
        return 0;
    }

    /** N runs at once on the control and GPU workers: throughput, queueing and workflow-task health. */
    private ObjectNode concurrentRuns(DevStack stack, WorkflowClient client, Path data, PrintWriter out)
            throws Exception {
        TinyRunSpec shape = TinyRunSpec.smallest();
        ObjectNode runSpec = shape.writeInputs(data.resolve("load-inputs"));
        List<String> runIds = IntStream.rangeClosed(1, runs)
                .mapToObj(i -> String.format(Locale.ROOT, "load-%02d", i))
                .toList();
        List<RunOutcome> outcomes;
        try (WorkerProcesses workers =
                new WorkerProcesses(stack.temporalSettings(), stack.s3Settings(), data.resolve("load-workers"))) {
            Files.createDirectories(data.resolve("load-workers"));
            startAndAwait(workers, client, controlWorkers, gpuWorkers);
            outcomes =
                    new ConcurrentRuns(client, TaskQueues.DEFAULT_CONTROL).run(runIds, runSpec, Duration.ofMinutes(30));
        }
        long completed = outcomes.stream().filter(RunOutcome::completed).count();
        Instant first = outcomes.stream()
                .map(RunOutcome::started)
                .min(Instant::compareTo)
                .orElseThrow();
        Instant last =
                outcomes.stream().map(RunOutcome::ended).max(Instant::compareTo).orElseThrow();
        RunHistories histories = RunHistories.fetch(client, runIds);
        List<String> failedTasks = histories.failedWorkflowTasks();

        ObjectNode load = JSON.createObjectNode();
        load.put("runs", runs);
        load.put("completed", completed);
        load.put("control_workers", controlWorkers);
        load.put("gpu_workers", gpuWorkers);
        load.set("run_shape", JSON.valueToTree(shape));
        load.put("wall_seconds", round(Duration.between(first, last).toMillis() / 1000.0));
        load.put("runs_per_minute", round(ConcurrentRuns.runsPerMinute(outcomes)));
        load.put("failed_workflow_tasks", failedTasks.size());
        load.set("failed_workflow_task_causes", JSON.valueToTree(failedTasks));
        load.put("sticky_queue_timeouts", histories.stickyQueueTimeouts());
        load.set("timed_out_workflow_tasks", JSON.valueToTree(histories.timedOutWorkflowTasks()));
        load.set("schedule_to_start_ms", latencies(histories.scheduleToStart()));
        load.set("first_workflow_task_ms", latencies(histories.workflowTaskTimes(true)));
        load.set("workflow_task_ms", latencies(histories.workflowTaskTimes(false)));

        out.printf(
                Locale.ROOT,
                "%n%d runs at once, %d control + %d GPU workers: %d completed in %.1f s = %.2f runs/min; "
                        + "failed workflow tasks: %d, timed out: %d, sticky-queue timeouts: %d%n",
                runs,
                controlWorkers,
                gpuWorkers,
                completed,
                Duration.between(first, last).toMillis() / 1000.0,
                ConcurrentRuns.runsPerMinute(outcomes),
                failedTasks.size(),
                histories.timedOutWorkflowTasks().size(),
                histories.stickyQueueTimeouts());
        printLatencies(out, "schedule-to-start (first attempts)", histories.scheduleToStart());
        printLatencies(out, "first workflow task, started to completed", histories.workflowTaskTimes(true));
        out.flush();
        return load;
    }

    /** One iteration's generate + judge with the same shards on one GPU worker, then on two. */
    private ObjectNode scaleOut(DevStack stack, WorkflowClient client, Path data, PrintWriter out) throws Exception {
        TinyRunSpec shape = TinyRunSpec.scaleOut(shards);
        ObjectNode runSpec = shape.writeInputs(data.resolve("scale-inputs"));
        ObjectNode scale = JSON.createObjectNode();
        scale.set("run_shape", JSON.valueToTree(shape));
        scale.put("samples", shape.samplesPerIteration());
        double[] perSecond = new double[3];
        for (int gpus = 1; gpus <= 2; gpus++) {
            Duration span = generateAndJudge(stack, client, data, runSpec, shape, gpus);
            perSecond[gpus] = shape.samplesPerIteration() / (span.toMillis() / 1000.0);
            ObjectNode row = scale.putObject(gpus == 1 ? "one_gpu_worker" : "two_gpu_workers");
            row.put("generate_judge_seconds", round(span.toMillis() / 1000.0));
            row.put("samples_per_second", round(perSecond[gpus]));
            out.printf(
                    Locale.ROOT,
                    "scale-out: %d shards on %d GPU worker(s) (1 PyTorch thread each): generate + judge %.1f s, "
                            + "%.2f samples/s%n",
                    shards,
                    gpus,
                    span.toMillis() / 1000.0,
                    perSecond[gpus]);
        }
        double ratio = perSecond[2] / perSecond[1];
        scale.put("ratio", round(ratio));
        scale.put("target", 1.8);
        out.printf(Locale.ROOT, "scale-out ratio, 2 GPU workers against 1: %.2fx (target 1.8x)%n", ratio);
        out.flush();
        return scale;
    }

    /**
     * Starts one run on one control worker and {@code gpus} GPU workers, waits until its judge shards have all
     * completed, ends the run there (the rest of the iteration is not measured) and returns the span from the first
     * generate shard's scheduling to the last judge shard's completion.
     */
    private Duration generateAndJudge(
            DevStack stack, WorkflowClient client, Path data, ObjectNode runSpec, TinyRunSpec shape, int gpus)
            throws Exception {
        String runId = "scale-" + gpus + "gpu";
        Path logs = data.resolve(runId + "-workers");
        Files.createDirectories(logs);
        try (WorkerProcesses workers = new WorkerProcesses(stack.temporalSettings(), stack.s3Settings(), logs)) {
            startAndAwait(workers, client, 1, gpus);
            TpoRunWorkflow run = client.newWorkflowStub(
                    TpoRunWorkflow.class,
                    WorkflowOptions.newBuilder()
                            .setWorkflowId(runId)
                            .setTaskQueue(TaskQueues.DEFAULT_CONTROL)
                            .build());
            WorkflowClient.start(run::run, runSpec, null);
            long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
            RunHistories histories = RunHistories.fetch(client, List.of(runId));
            while (histories.completed("Judge") < shape.judgeShards()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            runId + ": judging did not finish within 20 minutes; logs in " + logs);
                }
                Thread.sleep(1000);
                histories = RunHistories.fetch(client, List.of(runId));
            }
            client.newUntypedWorkflowStub(runId).terminate("scale-out measured: generate and judge are done");
            return histories.span(GENERATE_AND_JUDGE);
        }
    }

    /** Starts the workers and returns once all of them poll their queues: JVM start-up is not measured. */
    private static void startAndAwait(WorkerProcesses workers, WorkflowClient client, int control, int gpus)
            throws IOException, InterruptedException {
        List<Process> controls = new ArrayList<>();
        for (int i = 1; i <= control; i++) {
            controls.add(workers.start("control", "control-" + i));
        }
        List<Process> gpuWorkers = new ArrayList<>();
        for (int i = 1; i <= gpus; i++) {
            gpuWorkers.add(workers.start("gpu", "gpu-" + i));
        }
        Duration within = Duration.ofMinutes(5);
        workers.awaitPolling(
                client, TaskQueues.DEFAULT_CONTROL, TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, controls, within);
        workers.awaitPolling(
                client, TaskQueues.DEFAULT_GPU, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY, gpuWorkers, within);
    }

    private static ObjectNode latencies(Map<String, List<Duration>> byType) {
        ObjectNode node = JSON.createObjectNode();
        byType.forEach((type, durations) -> {
            Latencies l = Latencies.of(durations);
            ObjectNode row = node.putObject(type);
            row.put("count", l.count());
            row.put("p50", round(l.p50Ms()));
            row.put("p95", round(l.p95Ms()));
            row.put("max", round(l.maxMs()));
        });
        return node;
    }

    private static void printLatencies(PrintWriter out, String title, Map<String, List<Duration>> byType) {
        out.printf(Locale.ROOT, "%s, ms:%n  %-22s %6s %8s %8s %8s%n", title, "", "n", "p50", "p95", "max");
        byType.forEach((type, durations) -> {
            Latencies l = Latencies.of(durations);
            out.printf(
                    Locale.ROOT, "  %-22s %6d %8.0f %8.0f %8.0f%n", type, l.count(), l.p50Ms(), l.p95Ms(), l.maxMs());
        });
    }

    private static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
