package dev.tpo.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.tpo.activities.heartbeat.WorkerDrain;
import dev.tpo.workers.ArtifactsModule;
import dev.tpo.workers.TemporalModule;
import dev.tpo.workers.TemporalSettings;
import dev.tpo.workers.TemporalTlsFailure;
import dev.tpo.workers.TpoWorker;
import dev.tpo.workers.WorkerModule;
import dev.tpo.workers.WorkerSettings;
import io.grpc.StatusRuntimeException;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.s3.S3Client;

/** {@code tpo worker --role ...}: a worker process, until SIGTERM or Ctrl-C. */
@Command(
        name = "worker",
        mixinStandardHelpOptions = true,
        description = "Serve TPO workflows and steps from Temporal task queues until stopped (SIGTERM, Ctrl-C).")
final class WorkerCommand implements Callable<Integer> {
    @Mixin
    WorkerOptions worker;

    @Mixin
    TemporalOptions temporal;

    @Mixin
    S3Options s3;

    @Option(
            names = "--shutdown-grace",
            paramLabel = "SECONDS",
            defaultValue = "60",
            description = "On SIGTERM, how long running steps may finish before they are interrupted "
                    + "(default ${DEFAULT-VALUE}). Training and generation stop sooner, at their next checkpoint "
                    + "or chunk; any step that stops is retried by another worker from where it was.")
    long shutdownGraceSeconds;

    @Override
    public Integer call() throws InterruptedException {
        WorkerSettings settings = worker.settings();
        TemporalSettings temporalSettings = temporal.settings();
        Injector injector = Guice.createInjector(
                new TemporalModule(temporalSettings),
                new ArtifactsModule(s3.settings(), settings.workDir()),
                new WorkerModule(settings));
        TpoWorker tpoWorker = injector.getInstance(TpoWorker.class);
        CountDownLatch stopped = new CountDownLatch(1);
        WorkerDrain drain = injector.getInstance(WorkerDrain.class);
        Thread shutdown = new Thread(
                () -> {
                    // Long steps end at their next resumable point and are retried elsewhere; the grace covers
                    // the rest.
                    drain.request();
                    tpoWorker.stop(Duration.ofSeconds(shutdownGraceSeconds));
                    injector.getInstance(WorkflowServiceStubs.class).shutdown();
                    injector.getInstance(S3Client.class).close();
                    stopped.countDown();
                },
                "tpo-worker-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        try {
            tpoWorker.start();
        } catch (StatusRuntimeException e) {
            Runtime.getRuntime().removeShutdownHook(shutdown);
            injector.getInstance(WorkflowServiceStubs.class).shutdown();
            injector.getInstance(S3Client.class).close();
            // The worker's first call (describe namespace) is where a TLS mismatch shows; retrying cannot fix it.
            throw TemporalTlsFailure.of(e, temporalSettings)
                    .map(RuntimeException.class::cast)
                    .orElse(e);
        }
        stopped.await();
        return 0;
    }
}
