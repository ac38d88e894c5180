package dev.tpo.workers;

import dev.tpo.api.spec.TaskQueues;
import java.nio.file.Path;

/**
 * One worker process.
 *
 * @param role           which queues it polls
 * @param queues         TPO_CONTROL_TASK_QUEUE / TPO_GPU_TASK_QUEUE; must match the runs' task_queues
 * @param gpuConcurrency TPO_GPU_CONCURRENCY: GPU activities at once; each loads its own model, hence default 1
 * @param workDir        TPO_WORK_DIR: model cache and scratch (default ~/.cache/tpo/work)
 */
public record WorkerSettings(WorkerRole role, TaskQueues queues, int gpuConcurrency, Path workDir) {
    public static final String CONTROL_QUEUE_ENV = "TPO_CONTROL_TASK_QUEUE";
    public static final String GPU_QUEUE_ENV = "TPO_GPU_TASK_QUEUE";
    public static final String GPU_CONCURRENCY_ENV = "TPO_GPU_CONCURRENCY";
    public static final String WORK_DIR_ENV = "TPO_WORK_DIR";

    public WorkerSettings {
        if (role == null) {
            throw new IllegalArgumentException("--role must be set (control, gpu or all)");
        }
        queues = queues == null ? TaskQueues.defaults() : queues;
        if (gpuConcurrency < 1) {
            throw new IllegalArgumentException(
                    "--gpu-concurrency (" + GPU_CONCURRENCY_ENV + ") must be at least 1, got " + gpuConcurrency);
        }
        workDir = workDir == null ? defaultWorkDir() : workDir;
    }

    public static Path defaultWorkDir() {
        return Path.of(System.getProperty("user.home"), ".cache", "tpo", "work");
    }
}
