package dev.tpo.workers;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.tpo.api.spec.TaskQueues;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The whole pipeline on one machine: the dev stack (Temporal test server or the real dev server with its Web UI,
 * S3Proxy) on free local ports and one worker in this JVM serving both roles, wired exactly as the standalone
 * processes are. What {@code tpo demo} runs on.
 */
public final class EmbeddedPipeline implements AutoCloseable {
    private final DevStack stack;
    private final Injector injector;
    private final TpoWorker worker;

    private EmbeddedPipeline(DevStack stack, Injector injector, TpoWorker worker) {
        this.stack = stack;
        this.injector = injector;
        this.worker = worker;
    }

    /** On the Java test server. */
    public static EmbeddedPipeline start(Path dataDir, Path workDir) throws Exception {
        return start(TemporalKind.TEST, null, dataDir, workDir);
    }

    /**
     * @param temporalCli the Temporal CLI binary, for {@link TemporalKind#REAL}
     * @param dataDir     where S3Proxy keeps the bucket and the real server its SQLite file (both stay afterwards)
     * @param workDir     the worker's scratch and model cache
     */
    public static EmbeddedPipeline start(TemporalKind kind, Path temporalCli, Path dataDir, Path workDir)
            throws Exception {
        DevStack stack =
                DevStack.start(new DevStack.Settings(kind, temporalCli, freePort(), freePort(), freePort(), dataDir));
        try {
            WorkerSettings settings = new WorkerSettings(WorkerRole.ALL, TaskQueues.defaults(), 1, workDir);
            Injector injector = Guice.createInjector(
                    new TemporalModule(stack.temporalSettings()),
                    new ArtifactsModule(stack.s3Settings(), workDir),
                    new WorkerModule(settings));
            TpoWorker worker = injector.getInstance(TpoWorker.class);
            worker.start();
            return new EmbeddedPipeline(stack, injector, worker);
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    public WorkflowClient client() {
        return injector.getInstance(WorkflowClient.class);
    }

    /** The Web UI, or null on the test server. */
    public String uiUrl() {
        return stack.temporal().uiUrl();
    }

    public TemporalSettings temporalSettings() {
        return stack.temporalSettings();
    }

    public String artifactRoot() {
        return "s3://" + DevStack.BUCKET + "/";
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port", e);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            worker.stop(Duration.ofSeconds(10));
            injector.getInstance(WorkflowServiceStubs.class).shutdown();
            injector.getInstance(S3Client.class).close();
        } finally {
            stack.close();
        }
    }
}
