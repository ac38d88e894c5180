package dev.tpo.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.tpo.api.spec.TaskQueues;
import dev.tpo.api.steps.IterationSummary;
import dev.tpo.api.steps.RunResult;
import dev.tpo.method.synthetic.CharTokenizer;
import dev.tpo.model.CausalLm;
import dev.tpo.model.Compute;
import dev.tpo.model.ModelConfig;
import dev.tpo.model.ModelFolder;
import dev.tpo.model.ModelInitializer;
import dev.tpo.workflows.TpoRunWorkflow;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A GPU worker process is killed with SIGKILL during generation and again during training, and a third is stopped
 * with SIGTERM during training (it drains); a fresh process picks each step up. On the Java test server (Temporal's standalone server is its own issue), which survives this
 * because only GPU-queue activity polls die with the process: the control worker, which holds the workflow task
 * polls, stays up in this JVM (see ../shared/architecture.md on the test server losing workflow tasks).
 */
class GpuWorkerCrashTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    private final List<Process> processes = new ArrayList<>();
    private DevStack stack;
    private TpoWorker control;
    private Injector injector;

    @AfterEach
    void stop() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        if (control != null) {
            control.stop(Duration.ofSeconds(5));
            injector.getInstance(WorkflowServiceStubs.class).shutdown();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void killedGpuWorkersLoseNoFinishedWorkAndTrainingResumesFromItsCheckpoint() throws Exception {
        stack = DevStack.start(DevStack.Settings.test(EmbeddedPipelinePorts.free(), EmbeddedPipelinePorts.free(),
                tmp.resolve("stack")));
        WorkerSettings controlSettings = new WorkerSettings(WorkerRole.CONTROL, TaskQueues.defaults(), 1,
                tmp.resolve("work-control"));
        injector = Guice.createInjector(new TemporalModule(stack.temporalSettings()),
                new ArtifactsModule(stack.s3Settings(), tmp.resolve("work-control")), new WorkerModule(controlSettings));
        control = injector.getInstance(TpoWorker.class);
        control.start();
        WorkflowClient client = injector.getInstance(WorkflowClient.class);

        TpoRunWorkflow run = client.newWorkflowStub(TpoRunWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId("crash-run").setTaskQueue(TaskQueues.DEFAULT_CONTROL).build());
        WorkflowClient.start(run::run, spec());
        CompletableFuture<RunResult> result = WorkflowStub.fromTyped(run).getResultAsync(RunResult.class);

        Process first = gpuWorker("a");
        JsonNode generating = awaitHeartbeat(client, result, "Generate", d -> d.path("next_chunk").asInt() >= 1);
        first.destroyForcibly().waitFor();
        Instant generateKilled = Instant.now();
        int chunksBeforeKill = generating.path("next_chunk").asInt();

        Process second = gpuWorker("b");
        JsonNode killedAt = awaitHeartbeat(client, result, "Train", d -> d.hasNonNull("checkpoint"));
        second.destroyForcibly().waitFor();
        int killedCheckpoint = checkpointStep(killedAt);

        // SIGTERM (an eviction, a spot notice): the worker drains. Training checkpoints its current step, the
        // attempt fails as retryable, and the process exits cleanly long before its 60 s grace.
        Process third = gpuWorker("c");
        awaitHeartbeat(client, result, "Train", d -> d.path("step").asInt() >= killedCheckpoint + 2);
        third.destroy();
        assertTrue(third.waitFor(30, TimeUnit.SECONDS), "the drained worker exits");
        String thirdLog = Files.readString(tmp.resolve("worker-c.log"));
        assertFalse(thirdLog.contains("fatal error"), "no native crash on the way out:\n" + thirdLog);
        int drainedCheckpoint = checkpointStep(heartbeat(client, "Train").orElseThrow());
        assertTrue(drainedCheckpoint > killedCheckpoint, "the drain stored a checkpoint of its own step ("
                + drainedCheckpoint + " after " + killedCheckpoint + ")");

        gpuWorker("d");
        RunResult done = result.get(5, TimeUnit.MINUTES);

        assertEquals("completed", done.status());
        IterationSummary iteration = done.iterations().get(0);
        assertEquals(drainedCheckpoint, iteration.trainResumedFromStep(), "training resumed where the drain stopped");
        assertTrue(iteration.pairs().pairs() > 0);
        try (S3Client s3 = injector.getInstance(S3Client.class)) {
            List<S3Object> parts = s3.listObjectsV2(ListObjectsV2Request.builder().bucket(DevStack.BUCKET)
                    .prefix("runs/crash-run/iter-1/generate/").build()).contents().stream()
                    .filter(o -> o.key().contains("/parts/part-")).toList();
            // A part the killed worker finished and a later worker computed again would carry a later time.
            long writtenBeforeKill = parts.stream().filter(o -> !o.lastModified().isAfter(generateKilled)).count();
            assertTrue(writtenBeforeKill >= chunksBeforeKill, chunksBeforeKill + " chunks were heartbeated as "
                    + "stored before the kill at " + generateKilled + ", but only " + writtenBeforeKill
                    + " parts are older: " + parts.stream().map(o -> o.key() + "@" + o.lastModified()).toList());
            assertEquals(16, parts.size(), "one part per prompt (4 samples each, batch 4)");
        }
    }

    private JsonNode spec() throws Exception {
        Path tokenizer = tmp.resolve("tokenizer");
        CharTokenizer.write(tokenizer);
        Path seed = tmp.resolve("seed");
        ModelConfig config = ModelConfig.llama(CharTokenizer.vocabSize(), 128, 256, 4, 4, 2, 256);
        try (CausalLm model = ModelInitializer.random(config, 5, Compute.cpu())) {
            ModelFolder.save(model, seed, tokenizer);
        }
        StringBuilder train = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            train.append(String.format("{\"id\":\"t%d\",\"prompt\":\"Say a letter, %d.\",\"reference\":\"a\"}%n",
                    i, i));
        }
        Files.writeString(tmp.resolve("train.jsonl"), train);
        Files.writeString(tmp.resolve("eval.jsonl"), "{\"id\":\"e0\",\"prompt\":\"Say a letter.\",\"reference\":\"a\"}\n");
        ObjectNode spec = JSON.createObjectNode();
        spec.put("name", "crash");
        spec.put("seed_policy", seed.toUri().toString());
        spec.put("train_prompts", tmp.resolve("train.jsonl").toUri().toString());
        spec.put("eval_prompts", tmp.resolve("eval.jsonl").toUri().toString());
        spec.put("iterations", 1);
        spec.put("prompts_per_iteration", 16);
        spec.put("heartbeat_timeout_seconds", 4);
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
        dpo.put("num_train_epochs", 40);
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

    private static int checkpointStep(JsonNode trainProgress) {
        String uri = trainProgress.path("checkpoint").path("uri").asText();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("checkpoint-(\\d+)").matcher(uri);
        assertTrue(m.find(), "a checkpoint in " + trainProgress);
        return Integer.parseInt(m.group(1));
    }

    /** A separate JVM serving only the GPU queue, as a GPU node would. */
    private Process gpuWorker(String name) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx2g", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
                "-cp", System.getProperty("java.class.path"), "dev.tpo.cli.TpoCommand", "worker", "--role", "gpu",
                "--address", stack.temporalSettings().address(), "--s3-endpoint",
                stack.s3Settings().endpoint().toString(), "--s3-path-style", "true", "--work-dir",
                tmp.resolve("work-" + name).toString(), "--shutdown-grace", "60");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("worker-" + name + ".log").toFile());
        builder.environment().put("AWS_ACCESS_KEY_ID", LocalS3Server.ACCESS_KEY);
        builder.environment().put("AWS_SECRET_ACCESS_KEY", LocalS3Server.SECRET_KEY);
        Process p = builder.start();
        processes.add(p);
        return p;
    }

    /** Waits until the running iteration's pending {@code type} activity reports heartbeat details that match. */
    private JsonNode awaitHeartbeat(WorkflowClient client, CompletableFuture<RunResult> result, String type,
                                    java.util.function.Predicate<JsonNode> ready) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            if (result.isDone()) {
                throw new AssertionError("the run ended before a " + type + " heartbeat: " + result.handle(
                        (r, e) -> e == null ? r.toString() : FailureText.of(e)).get());
            }
            Optional<JsonNode> details = heartbeat(client, type);
            if (details.isPresent() && ready.test(details.get())) {
                return details.get();
            }
            Thread.sleep(100);
        }
        String progress;
        try {
            progress = client.newWorkflowStub(TpoRunWorkflow.class, "crash-run").progress().toString();
        } catch (RuntimeException e) {
            progress = e.toString();
        }
        throw new AssertionError("no " + type + " heartbeat in time; run progress " + progress
                + "; worker logs under " + tmp);
    }

    private static Optional<JsonNode> heartbeat(WorkflowClient client, String type) throws Exception {
        DescribeWorkflowExecutionRequest request = DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(client.getOptions().getNamespace())
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId("crash-run-iter-1").build())
                .build();
        try {
            for (PendingActivityInfo a : client.getWorkflowServiceStubs().blockingStub()
                    .describeWorkflowExecution(request).getPendingActivitiesList()) {
                if (a.getActivityType().getName().equals(type) && a.hasHeartbeatDetails()
                        && a.getHeartbeatDetails().getPayloadsCount() > 0) {
                    return Optional.of(JSON.readTree(a.getHeartbeatDetails().getPayloads(0).getData().toStringUtf8()));
                }
            }
        } catch (io.grpc.StatusRuntimeException e) {
            if (e.getStatus().getCode() != io.grpc.Status.Code.NOT_FOUND) {
                throw e;
            }
        }
        return Optional.empty();
    }

    /** Free local ports for the dev stack. */
    static final class EmbeddedPipelinePorts {
        static int free() throws Exception {
            try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                return s.getLocalPort();
            }
        }
    }

    /** The chain of causes of a failed run, one line. */
    static final class FailureText {
        static String of(Throwable e) {
            StringBuilder b = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                b.append(" <- ").append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
            }
            return b.toString();
        }
    }
}
