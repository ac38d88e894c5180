package dev.tpo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.tpo.api.spec.TaskQueues;
import dev.tpo.workers.ArtifactsModule;
import dev.tpo.workers.DevStack;
import dev.tpo.workers.TemporalCli;
import dev.tpo.workers.TemporalConnection;
import dev.tpo.workers.TemporalKind;
import dev.tpo.workers.TemporalModule;
import dev.tpo.workers.TemporalSettings;
import dev.tpo.workers.TpoWorker;
import dev.tpo.workers.WorkerModule;
import dev.tpo.workers.WorkerRole;
import dev.tpo.workers.WorkerSettings;
import dev.tpo.workers.codec.AesGcmPayloadCodec;
import dev.tpo.workers.codec.CodecServer;
import dev.tpo.workers.codec.PayloadKeys;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Payload encryption end to end on the official dev server: {@code tpo start --payload-key-file} starts a run whose
 * spec names a recognisable prompt file, a worker with the same key runs it (its first step rejects the missing
 * file, quoting its name in the failure); the stored history holds that string nowhere, neither in the raw events a client
 * without the key reads nor in {@code temporal workflow show}; with the key (a client, {@code tpo history}, or the
 * Temporal CLI through {@code tpo codec-server}) it reads back, and {@code tpo history} without it says what to set.
 * In the Web UI (Chromium, infra/ui-test/check-codec-in-ui.mjs), the run's input reads decoded through the codec
 * server the UI is configured with ({@code --ui-codec-endpoint}), and as ciphertext with that setting removed.
 */
@Tag("real-server")
class EncryptedRunTest {
    private static final String SECRET = "TopSecretPromptSet7";

    @TempDir
    Path dir;

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void anEncryptedRunIsCiphertextOnTheServerAndReadableOnlyWithTheKey() throws Exception {
        byte[] keyBytes = new byte[32];
        new SecureRandom().nextBytes(keyBytes);
        Path keyFile = dir.resolve("payload-keys");
        Files.writeString(keyFile, "k1:" + Base64.getEncoder().encodeToString(keyBytes) + "\n");
        PayloadKeys keys = PayloadKeys.fromFile(keyFile, PayloadKeys.KEY_FILE_FLAG);

        ObjectNode spec = (ObjectNode) new ObjectMapper()
                .readTree(Peers.repoRoot()
                        .resolve("examples/specs/local-minimal.json")
                        .toFile());
        spec.put("name", "encrypted");
        // Not in a search attribute (TpoRunName, TpoSeedPolicy, ... are indexed, so plaintext by design).
        spec.put("train_prompts", "s3://tpo-artifacts/prompts/" + SECRET + ".jsonl");
        Path specFile = dir.resolve("spec.json");
        Files.writeString(specFile, spec.toString());
        String runId = "encrypted-run";

        Path cli = TemporalCli.locate(null);
        int uiPort = freePort();
        try (CodecServer codecServer = CodecServer.start(
                        "127.0.0.1", 0, new AesGcmPayloadCodec(keys), Set.of("http://127.0.0.1:" + uiPort));
                DevStack stack = DevStack.start(new DevStack.Settings(
                        TemporalKind.REAL,
                        cli,
                        freePort(),
                        uiPort,
                        freePort(),
                        dir.resolve("stack"),
                        codecServer.url()))) {
            TemporalSettings plain = stack.temporalSettings();
            String address = plain.address();
            Injector worker = Guice.createInjector(
                    new TemporalModule(plain.withPayloadKeys(keys)),
                    new ArtifactsModule(stack.s3Settings(), dir.resolve("work")),
                    new WorkerModule(
                            new WorkerSettings(WorkerRole.ALL, TaskQueues.defaults(), 1, dir.resolve("work"))));
            TpoWorker tpoWorker = worker.getInstance(TpoWorker.class);
            tpoWorker.start();
            String ciphertext;
            try {
                CommandOutput started = CommandOutput.run(
                        "start",
                        "--spec",
                        specFile.toString(),
                        "--id",
                        runId,
                        "--address",
                        address,
                        "--payload-key-file",
                        keyFile.toString());
                assertEquals(0, started.exitCode(), started.toString());
                try (TemporalConnection withKey = TemporalConnection.open(plain.withPayloadKeys(keys))) {
                    WorkflowExecutionStatus status = awaitClosed(withKey.client(), runId);
                    assertNotEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED, status);

                    // With the key: the run's input decodes to the spec, so the worker could read it too (it ran
                    // its first step on it).
                    WorkflowExecutionHistory history = withKey.client().fetchHistory(runId);
                    Payload input = history.getEvents()
                            .get(0)
                            .getWorkflowExecutionStartedEventAttributes()
                            .getInput()
                            .getPayloads(0);
                    assertTrue(AesGcmPayloadCodec.isEncrypted(input), input.toString());
                    ciphertext =
                            Base64.getEncoder().encodeToString(input.getData().toByteArray());
                    assertTrue(new AesGcmPayloadCodec(keys)
                            .decode(List.of(input))
                            .get(0)
                            .getData()
                            .toStringUtf8()
                            .contains(SECRET));
                    assertTrue(
                            history.getEvents().stream()
                                    .anyMatch(HistoryEvent::hasActivityTaskScheduledEventAttributes),
                            "the worker decoded the input and scheduled a step:\n" + history.toJson(true));
                }

                // Without the key: the raw events, every byte of them, never hold the string.
                try (TemporalConnection noKey = TemporalConnection.open(plain)) {
                    StringBuilder raw = new StringBuilder();
                    List<String> leaks = new java.util.ArrayList<>();
                    for (String id : new RunHistoryReader(noKey.client())
                            .histories(runId).stream()
                                    .map(h -> h.getWorkflowExecution().getWorkflowId())
                                    .toList()) {
                        for (HistoryEvent event :
                                noKey.client().fetchHistory(id).getEvents()) {
                            String bytes = event.toByteString().toString(StandardCharsets.ISO_8859_1);
                            raw.append(bytes);
                            if (bytes.contains(SECRET)) {
                                leaks.add(event.toString());
                            }
                        }
                    }
                    assertFalse(raw.isEmpty());
                    assertEquals(List.of(), leaks, "plaintext in the stored history");
                }
                // temporal workflow show prints payloads' bytes as base64: every string is read decoded too.
                String shown =
                        readable(temporal(cli, "workflow", "show", "-w", runId, "--address", address, "-o", "json"));
                assertFalse(shown.contains(SECRET), shown);
                assertTrue(shown.contains("binary/encrypted"), shown);
                // The Temporal CLI through the codec server: the protocol the Web UI uses too.
                String decoded = readable(temporal(
                        cli,
                        "workflow",
                        "show",
                        "-w",
                        runId,
                        "--address",
                        address,
                        "-o",
                        "json",
                        "--codec-endpoint",
                        codecServer.url()));
                assertTrue(decoded.contains(SECRET), decoded);
                assertFalse(decoded.contains("binary/encrypted"), decoded);

                // tpo history: with the key it shows the step's failure quoting the folder; without, it says why.
                CommandOutput readable = CommandOutput.run(
                        "history", runId, "--address", address, "--payload-key-file", keyFile.toString());
                assertEquals(0, readable.exitCode(), readable.toString());
                assertTrue(readable.out().contains(SECRET), readable.toString());
                CommandOutput locked = CommandOutput.run("history", runId, "--address", address);
                assertEquals(2, locked.exitCode(), locked.toString());
                assertTrue(
                        locked.err()
                                .contains("this run's data is encrypted (payload key id 'k1') and no payload "
                                        + "keys are set: give them in TPO_PAYLOAD_KEYS or --payload-key-file"),
                        locked.toString());
                assertFalse(locked.toString().contains(SECRET));

                // The Web UI in a browser: decoded through the codec server it is configured with, ciphertext
                // without it.
                JsonNode ui = browserCheck(Map.of(
                        "TPO_UI_URL",
                        stack.temporal().uiUrl(),
                        "TPO_CODEC_URL",
                        codecServer.url(),
                        "TPO_WORKFLOW_ID",
                        runId,
                        "TPO_PLAINTEXT",
                        SECRET,
                        "TPO_CIPHERTEXT",
                        ciphertext));
                assertTrue(ui.path("decoded").path("input").asText().contains(SECRET), ui.toString());
                assertFalse(ui.path("without_codec").path("input").asText().contains(SECRET), ui.toString());
            } finally {
                tpoWorker.stop(Duration.ofSeconds(10));
                worker.getInstance(WorkflowServiceStubs.class).shutdown();
                worker.getInstance(S3Client.class).close();
            }
        }
    }

    /**
     * Runs infra/ui-test/check-codec-in-ui.mjs (Chromium through playwright-core; fails, never skips, without them)
     * and returns its findings; its screenshots land in workers/target/ui-test/codec/.
     */
    private static JsonNode browserCheck(Map<String, String> env) throws Exception {
        Path uiTest = Peers.repoRoot().resolve("infra/ui-test");
        assertTrue(
                Files.isDirectory(uiTest.resolve("node_modules/playwright-core")),
                "playwright-core missing: run infra/ui-test/install.sh (./run-tests does)");
        Path out = Peers.repoRoot().resolve("workers/target/ui-test/codec");
        Files.createDirectories(out);
        Path log = out.resolve("check-codec-in-ui.log");
        ProcessBuilder builder = new ProcessBuilder("node", "check-codec-in-ui.mjs")
                .directory(uiTest.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        builder.environment().put("TPO_OUT", out.toString());
        Process node = builder.start();
        if (!node.waitFor(3, TimeUnit.MINUTES)) {
            node.destroyForcibly();
            throw new AssertionError("the browser check ran over 3 minutes:\n" + Files.readString(log));
        }
        assertEquals(0, node.exitValue(), "the browser check failed:\n" + Files.readString(log));
        return new ObjectMapper().readTree(out.resolve("codec-result.json").toFile());
    }

    private static WorkflowExecutionStatus awaitClosed(WorkflowClient client, String runId) throws Exception {
        WorkflowExecutionStatus status = null;
        for (int i = 0; i < 300; i++) {
            status = client.newUntypedWorkflowStub(runId).describe().getStatus();
            if (status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
                return status;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the run never closed: " + status);
    }

    /** The JSON text with each string value that is base64 followed by its decoded bytes. */
    private static String readable(String json) throws Exception {
        StringBuilder out = new StringBuilder(json);
        List<com.fasterxml.jackson.databind.JsonNode> nodes =
                new java.util.ArrayList<>(List.of(new ObjectMapper().readTree(json)));
        while (!nodes.isEmpty()) {
            com.fasterxml.jackson.databind.JsonNode node = nodes.remove(nodes.size() - 1);
            node.elements().forEachRemaining(nodes::add);
            if (node.isTextual()) {
                try {
                    out.append('\n')
                            .append(new String(Base64.getDecoder().decode(node.asText()), StandardCharsets.ISO_8859_1));
                } catch (IllegalArgumentException notBase64) {
                    // an ordinary string
                }
            }
        }
        return out.toString();
    }

    private static String temporal(Path cli, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(cli.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), out);
        return out;
    }
}
