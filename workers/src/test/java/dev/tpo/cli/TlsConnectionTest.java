package dev.tpo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.util.Modules;
import dev.tpo.activities.StepEnvironment;
import dev.tpo.api.spec.TaskQueues;
import dev.tpo.workers.ArtifactsModule;
import dev.tpo.workers.DevStack;
import dev.tpo.workers.StepImplementations;
import dev.tpo.workers.TemporalCli;
import dev.tpo.workers.TemporalKind;
import dev.tpo.workers.TemporalModule;
import dev.tpo.workers.TemporalSettings;
import dev.tpo.workers.TemporalTls;
import dev.tpo.workers.TpoWorker;
import dev.tpo.workers.WorkerModule;
import dev.tpo.workers.WorkerRole;
import dev.tpo.workers.WorkerSettings;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * TLS and mTLS to Temporal over a real TLS connection: the official dev server (plaintext gRPC) behind Debian's
 * nginx terminating TLS with certificates this test makes with openssl. A run goes end to end through TLS (the
 * worker over mTLS with its client certificate, the commands over server TLS with the CA); a wrong CA, a missing
 * client certificate, a name the certificate does not carry and a TLS client at a plaintext port each fail with one
 * line naming the address and the problem.
 */
@Tag("real-server")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class TlsConnectionTest {
    @TempDir
    static Path dir;

    private static TestCertificates certificates;
    private static DevStack stack;
    private static NginxTlsTerminator nginx;

    @BeforeAll
    static void startStackBehindNginx() throws Exception {
        assertTrue(NginxTlsTerminator.installed(), "/usr/sbin/nginx missing: apt-get install nginx (.ci/run does)");
        certificates = TestCertificates.make(dir.resolve("certs"));
        stack = DevStack.start(new DevStack.Settings(
                TemporalKind.REAL, TemporalCli.locate(null), freePort(), freePort(), freePort(), dir.resolve("data")));
        nginx = NginxTlsTerminator.start(
                dir.resolve("nginx"), certificates, stack.temporalSettings().address());
    }

    @AfterAll
    static void stop() throws Exception {
        if (nginx != null) {
            nginx.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void runCompletesWithTheWorkerOnMutualTlsAndTheCommandsOnServerTls() throws Exception {
        TemporalSettings workerTls = new TemporalSettings(
                "localhost:" + nginx.mutualPort(),
                TemporalSettings.DEFAULT_NAMESPACE,
                new TemporalTls(false, certificates.ca(), certificates.clientCert(), certificates.clientKey(), null),
                null);
        WorkerSettings settings = new WorkerSettings(WorkerRole.ALL, TaskQueues.defaults(), 2, dir.resolve("work"));
        Injector connections = Guice.createInjector(
                new TemporalModule(workerTls), new ArtifactsModule(stack.s3Settings(), settings.workDir()));
        ScriptedSteps steps = new ScriptedSteps(connections.getInstance(StepEnvironment.class));
        steps.trainGate.countDown();
        Injector injector = connections.createChildInjector(Modules.override(new WorkerModule(settings))
                .with(binder -> binder.bind(StepImplementations.class).toInstance(steps)));
        TpoWorker worker = injector.getInstance(TpoWorker.class);
        worker.start();
        try {
            Path spec = dir.resolve("spec.json");
            Files.writeString(spec, """
                    {"name": "over-tls", "seed_policy": "s3://tpo-artifacts/models/seed/",
                     "train_prompts": "s3://tpo-artifacts/prompts/train.jsonl",
                     "eval_prompts": "s3://tpo-artifacts/prompts/eval.jsonl",
                     "iterations": 1, "prompts_per_iteration": 4, "shards": {"generate": 2, "judge": 1}}
                    """);
            CommandOutput started = overServerTls("start", "--spec", spec.toString(), "--id", "tls-run");
            assertEquals(0, started.exitCode(), started.toString());
            CommandOutput waited = overServerTls("wait", "tls-run");
            assertEquals(0, waited.exitCode(), waited.toString());
            assertTrue(waited.out().contains("status        completed"), waited.toString());
            assertTrue(steps.calls.contains("iter-1/pairs.jsonl@tpo-control"), steps.calls.toString());

            CommandOutput listed = listUntilFound("tls-run");
            assertTrue(listed.out().contains("completed"), listed.toString());
        } finally {
            worker.stop(Duration.ofSeconds(5));
            injector.getInstance(WorkflowServiceStubs.class).shutdown();
            injector.getInstance(S3Client.class).close();
        }
    }

    @Test
    void aWrongCaFailsNamingTheAddressAndTheCa() {
        String address = "localhost:" + nginx.tlsPort();
        CommandOutput listed = CommandOutput.run(
                "list",
                "--address",
                address,
                "--tls-ca-path",
                certificates.otherCa().toString());
        assertClearFailure(
                listed, address, "--tls-ca-path", certificates.otherCa().toString());

        CommandOutput systemRoots = CommandOutput.run("list", "--address", address, "--tls");
        assertClearFailure(systemRoots, address, "system", "--tls-ca-path");
    }

    @Test
    void mutualTlsWithoutAClientCertificateFailsNamingTheFlags() {
        String address = "localhost:" + nginx.mutualPort();
        CommandOutput listed = CommandOutput.run(
                "list", "--address", address, "--tls-ca-path", certificates.ca().toString());
        assertClearFailure(listed, address, "client certificate", "--tls-cert-path");
    }

    @Test
    void aWorkerWithTheWrongCaStopsAtStartNamingIt() {
        String address = "localhost:" + nginx.tlsPort();
        CommandOutput worker = CommandOutput.run(
                "worker",
                "--role",
                "control",
                "--work-dir",
                dir.resolve("refused-worker").toString(),
                "--s3-endpoint",
                stack.s3Settings().endpoint().toString(),
                "--address",
                address,
                "--tls-ca-path",
                certificates.otherCa().toString());
        assertClearFailure(
                worker, address, "--tls-ca-path", certificates.otherCa().toString());
    }

    @Test
    void theServerNameOverridesTheHostAndOneTheCertificateDoesNotCarryFailsNamingIt() {
        String address = "127.0.0.1:" + nginx.tlsPort();
        String ca = certificates.ca().toString();
        CommandOutput byIp = CommandOutput.run("list", "--address", address, "--tls-ca-path", ca);
        assertClearFailure(byIp, address, "its host name", "--tls-server-name");
        CommandOutput named =
                CommandOutput.run("list", "--address", address, "--tls-ca-path", ca, "--tls-server-name", "localhost");
        assertEquals(0, named.exitCode(), "the certificate's name given: " + named);

        CommandOutput listed = CommandOutput.run(
                "list",
                "--address",
                address,
                "--tls-ca-path",
                certificates.ca().toString(),
                "--tls-server-name",
                "temporal.example.org");
        assertClearFailure(listed, address, "temporal.example.org", "--tls-server-name");
    }

    @Test
    void tlsToAPlaintextPortAndPlaintextToATlsPortFailSayingSo() {
        String address = stack.temporalSettings().address();
        CommandOutput listed = CommandOutput.run(
                "list", "--address", address, "--tls-ca-path", certificates.ca().toString());
        assertClearFailure(listed, address, "TLS");

        String tlsAddress = "localhost:" + nginx.tlsPort();
        CommandOutput plainToTls = CommandOutput.run("list", "--address", tlsAddress);
        assertClearFailure(plainToTls, tlsAddress, "expects TLS", "--tls");
    }

    private static void assertClearFailure(CommandOutput output, String... named) {
        assertEquals(2, output.exitCode(), output.toString());
        String error = output.err().strip();
        assertEquals(1, error.lines().count(), "one line: " + output);
        for (String word : named) {
            assertTrue(error.contains(word), "names " + word + ": " + output);
        }
        assertFalse(error.contains("io.grpc") || error.contains("netty"), "no transport internals: " + output);
    }

    private static CommandOutput overServerTls(String... args) {
        List<String> line = new ArrayList<>(List.of(args));
        line.addAll(List.of(
                "--address",
                "localhost:" + nginx.tlsPort(),
                "--tls-ca-path",
                certificates.ca().toString()));
        return CommandOutput.run(line.toArray(String[]::new));
    }

    /** Over mTLS with the client certificate; visibility trails the run's completion by a moment. */
    private static CommandOutput listUntilFound(String runId) throws InterruptedException {
        CommandOutput listed = null;
        for (int i = 0; i < 50; i++) {
            listed = CommandOutput.run(
                    "list",
                    "--address",
                    "localhost:" + nginx.mutualPort(),
                    "--tls-ca-path",
                    certificates.ca().toString(),
                    "--tls-cert-path",
                    certificates.clientCert().toString(),
                    "--tls-key-path",
                    certificates.clientKey().toString());
            if (listed.exitCode() == 0
                    && listed.out().contains(runId)
                    && listed.out().contains("completed")) {
                return listed;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("tpo list over mTLS never showed " + runId + " completed: " + listed);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
