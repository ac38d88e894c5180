package dev.tpo.cli;

import dev.tpo.api.spec.TaskQueues;
import dev.tpo.workers.WorkerRole;
import dev.tpo.workers.WorkerSettings;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** What one worker process serves and where it keeps its files. */
public final class WorkerOptions {
    @Option(
            names = "--role",
            required = true,
            paramLabel = "control|gpu|all",
            description = "control: workflows and cheap steps; gpu: model steps; all: both.")
    String role;

    @Option(
            names = "--control-queue",
            description = "Control task queue (env TPO_CONTROL_TASK_QUEUE, " + "default tpo-control).")
    String controlQueue;

    @Option(names = "--gpu-queue", description = "GPU task queue (env TPO_GPU_TASK_QUEUE, default tpo-gpu).")
    String gpuQueue;

    @Option(
            names = "--gpu-concurrency",
            paramLabel = "N",
            description = "GPU steps at once on this worker (env TPO_GPU_CONCURRENCY, default 1).")
    Integer gpuConcurrency;

    @Option(
            names = "--work-dir",
            paramLabel = "DIR",
            description = "Model cache and scratch (env TPO_WORK_DIR, default ~/.cache/tpo/work).")
    Path workDir;

    WorkerSettings settings() {
        return settings(System.getenv());
    }

    WorkerSettings settings(Map<String, String> env) {
        TaskQueues queues = new TaskQueues(
                EnvFallback.first(gpuQueue, env, WorkerSettings.GPU_QUEUE_ENV),
                EnvFallback.first(controlQueue, env, WorkerSettings.CONTROL_QUEUE_ENV));
        if (!queues.control().matches("[A-Za-z0-9._-]{1,200}") || !queues.gpu().matches("[A-Za-z0-9._-]{1,200}")) {
            throw new UsageException("--control-queue/--gpu-queue: task queue names are letters, digits, . _ -");
        }
        Integer concurrency =
                EnvFallback.integer(gpuConcurrency, env, WorkerSettings.GPU_CONCURRENCY_ENV, "--gpu-concurrency");
        return new WorkerSettings(
                WorkerRole.parse(role),
                queues,
                concurrency == null ? 1 : concurrency,
                EnvFallback.path(workDir, env, WorkerSettings.WORK_DIR_ENV));
    }
}
