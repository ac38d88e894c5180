package dev.tpo.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.tpo.activities.StepEnvironment;
import dev.tpo.api.spec.TaskQueues;
import dev.tpo.artifacts.S3Settings;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class WorkerWiringTest {
    @TempDir
    Path dir;

    private static final S3Settings S3 =
            new S3Settings(URI.create("http://127.0.0.1:1"), "us-east-1", "key", "secret", true);

    @Test
    void productionModulesWireTheRealStepsWithoutConnecting() {
        WorkerSettings settings = new WorkerSettings(WorkerRole.GPU, new TaskQueues("gpu-q", "control-q"), 3, dir);
        Injector injector = Guice.createInjector(
                new TemporalModule(TemporalSettings.local(1)),
                new ArtifactsModule(S3, dir),
                new WorkerModule(settings));
        try {
            assertInstanceOf(ActivitySetSteps.class, injector.getInstance(StepImplementations.class));
            assertEquals(dir, injector.getInstance(StepEnvironment.class).workDir());
            assertEquals(
                    "default",
                    injector.getInstance(WorkflowClient.class).getOptions().getNamespace());
            injector.getInstance(TpoWorker.class);
        } finally {
            injector.getInstance(WorkflowServiceStubs.class).shutdown();
        }
    }

    @Test
    void eachRoleStartsAndStopsAgainstTheTestServer() throws Exception {
        try (LocalTemporalServer server = LocalTemporalServer.start(freePort())) {
            Injector connections =
                    Guice.createInjector(new TemporalModule(server.clientSettings()), new ArtifactsModule(S3, dir));
            try {
                for (WorkerRole role : WorkerRole.values()) {
                    TpoWorker worker = connections
                            .createChildInjector(
                                    new WorkerModule(new WorkerSettings(role, TaskQueues.defaults(), 1, dir)))
                            .getInstance(TpoWorker.class);
                    worker.start();
                    assertThrows(IllegalStateException.class, worker::start);
                    worker.stop(Duration.ofSeconds(5));
                }
            } finally {
                connections.getInstance(WorkflowServiceStubs.class).shutdown();
            }
        }
    }

    @Test
    void settingsNameTheirFlagsAndHideTheApiKey() {
        TemporalSettings cloud = new TemporalSettings("ns.acct.tmprl.cloud:7233", "ns.acct", null, "very-secret-key");
        assertFalse(cloud.toString().contains("very-secret-key"));
        assertTrue(cloud.usesTls());
        IllegalArgumentException halfTls = assertThrows(
                IllegalArgumentException.class, () -> new TemporalTls(false, null, Path.of("c.pem"), null, null));
        assertTrue(halfTls.getMessage().contains("--tls-key-path"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TemporalSettings("no-port", null, null, null))
                .getMessage()
                .contains("--address"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WorkerRole.parse("cpu"))
                .getMessage()
                .contains("--role"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new WorkerSettings(WorkerRole.GPU, null, 0, null))
                .getMessage()
                .contains("--gpu-concurrency"));
        assertEquals(WorkerSettings.defaultWorkDir(), new WorkerSettings(WorkerRole.ALL, null, 1, null).workDir());
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
