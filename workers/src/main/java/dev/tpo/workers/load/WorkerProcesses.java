package dev.tpo.workers.load;

import dev.tpo.artifacts.S3Settings;
import dev.tpo.workers.LocalS3Server;
import dev.tpo.workers.TemporalSettings;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.PollerInfo;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Worker processes started the way a deployment starts them, {@code tpo worker --role ROLE}, one JVM each, on the
 * classpath of this JVM (the tpo jar, or a test's classpath), connected to a local dev stack. Each GPU worker runs
 * one step at a time with one PyTorch intra-op thread, so N of them use N cores: what a scale-out measurement needs.
 */
public final class WorkerProcesses implements AutoCloseable {
    private final TemporalSettings temporal;
    private final S3Settings s3;
    private final Path dir;
    private final List<Process> started = new ArrayList<>();

    /** @param dir each worker's log ({@code worker-NAME.log}) and work folder go here */
    public WorkerProcesses(TemporalSettings temporal, S3Settings s3, Path dir) {
        this.temporal = temporal;
        this.s3 = s3;
        this.dir = dir;
    }

    /** Starts {@code tpo worker --role role}; its output goes to {@link #log(String)}. */
    public Process start(String role, String name) throws IOException {
        return start(role, name, Map.of(), Duration.ofSeconds(30));
    }

    /**
     * The same, with {@code environment} added to the worker's (an endpoint judge's API key, say) and the time a
     * SIGTERMed worker gives its steps to finish or hand on.
     */
    public Process start(String role, String name, Map<String, String> environment, Duration shutdownGrace)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Serial GC: a worker's heap is small and the machines these run on have few cores to share between them.
        List<String> command = List.of(
                java,
                role.equals("control") ? "-Xmx512m" : "-Xmx1g",
                "-XX:+UseSerialGC",
                "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.tpo.cli.TpoCommand",
                "worker",
                "--role",
                role,
                "--address",
                temporal.address(),
                "--s3-endpoint",
                s3.endpoint().toString(),
                "--s3-path-style",
                "true",
                "--work-dir",
                dir.resolve("work-" + name).toString(),
                "--shutdown-grace",
                Long.toString(shutdownGrace.toSeconds()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log(name).toFile());
        builder.environment().put("AWS_ACCESS_KEY_ID", LocalS3Server.ACCESS_KEY);
        builder.environment().put("AWS_SECRET_ACCESS_KEY", LocalS3Server.SECRET_KEY);
        builder.environment().putAll(environment);
        Process p = builder.start();
        started.add(p);
        return p;
    }

    /**
     * Waits until each of {@code workers} polls {@code queue} for tasks of {@code type} (Temporal lists a poller by
     * its identity, {@code pid@host}), so that what is measured next does not include JVM start-ups.
     */
    public void awaitPolling(
            WorkflowClient client, String queue, TaskQueueType type, List<Process> workers, Duration within)
            throws InterruptedException {
        Set<String> expected = new HashSet<>();
        for (Process p : workers) {
            expected.add(p.pid() + "@");
        }
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            Set<String> polling = new HashSet<>();
            for (PollerInfo poller : client.getWorkflowServiceStubs()
                    .blockingStub()
                    .describeTaskQueue(DescribeTaskQueueRequest.newBuilder()
                            .setNamespace(client.getOptions().getNamespace())
                            .setTaskQueue(TaskQueue.newBuilder().setName(queue))
                            .setTaskQueueType(type)
                            .build())
                    .getPollersList()) {
                String identity = poller.getIdentity();
                polling.add(identity.substring(0, identity.indexOf('@') + 1));
            }
            if (polling.containsAll(expected)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("workers not polling " + queue + " within " + within + ": expected "
                        + expected + ", polling " + polling + "; logs in " + dir);
            }
            Thread.sleep(500);
        }
    }

    public Path log(String name) {
        return dir.resolve("worker-" + name + ".log");
    }

    /** Stops every worker started here (SIGTERM: they drain), then kills what is left. */
    @Override
    public void close() throws InterruptedException {
        for (Process p : started) {
            p.destroy();
        }
        for (Process p : started) {
            if (!p.waitFor(40, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
        started.clear();
    }
}
