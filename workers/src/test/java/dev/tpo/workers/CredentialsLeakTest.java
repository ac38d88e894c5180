package dev.tpo.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpo.api.steps.RunResult;
import dev.tpo.artifacts.S3Buckets;
import dev.tpo.workers.codec.AesGcmPayloadCodec;
import dev.tpo.workers.codec.CodecServer;
import dev.tpo.workers.codec.PayloadKeys;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.WorkflowFailedException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials given to a run never reach anything it leaves behind. Two runs on the official dev server with
 * S3Proxy accepting only a distinctive access key and secret, workers as separate JVMs ({@code tpo worker}) and
 * every {@code tpo} command its own JVM, all given the secrets the way a deployment gives them (environment): the
 * S3 key pair, a pointwise LLM judge's API key (the judge is a real HTTP endpoint that checks the key, so the key
 * is used), and the payload encryption key (payloads are encrypted, so history is also read through the codec).
 * One run completes; the other's judge key is refused with a 401 whose body echoes the key, so it fails. Then
 * every secret, raw and in base64 at each of the three alignments, is looked for in: every event of every
 * workflow as stored (protobuf bytes), {@code temporal workflow show} with and without the codec server (base64
 * strings decoded), every file under the test's folder (worker, CLI and server logs, the S3 store's objects with
 * the reports and manifests, the work folders, Temporal's SQLite file), and the failed run's exception with its
 * causes and stack traces as a client sees it.
 *
 * <p>The Temporal API key: a client given {@code TEMPORAL_API_KEY} dials TLS (Cloud takes keys over TLS only) and
 * the dev server has none, so workers and commands reach it through a TLS front ({@link TlsCapturingProxy}), which
 * shows that the key went into every request's {@code authorization} header; the dev server ignores it.
 */
@Tag("real-server")
@Tag("multi-process")
class CredentialsLeakTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JUDGE_KEY_ENV = "TPO_LEAK_TEST_JUDGE_KEY";
    private static final String REFUSED_KEY_ENV = "TPO_LEAK_TEST_REFUSED_KEY";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void noCredentialReachesHistoryLogsStoreReportsOrFailures() throws Exception {
        SecureRandom random = new SecureRandom();
        byte[] payloadKey = new byte[32];
        random.nextBytes(payloadKey);
        String payloadKeyText = Base64.getEncoder().encodeToString(payloadKey);
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("S3 access key", "AKLEAK" + token(random, 14).toUpperCase(java.util.Locale.ROOT));
        secrets.put("S3 secret key", "s3secret" + token(random, 32));
        secrets.put("judge API key", "sk-judge-" + token(random, 32));
        secrets.put("refused judge API key", "sk-refused-" + token(random, 32));
        secrets.put("Temporal API key", "tmprl-key-" + token(random, 32));
        secrets.put("payload key", payloadKeyText);
        PayloadKeys keys = PayloadKeys.parse("k1:" + payloadKeyText, "the test");

        Path cli = TemporalCli.locate(null);
        try (LocalS3Server s3 = LocalS3Server.start(
                        0, tmp.resolve("s3"), secrets.get("S3 access key"), secrets.get("S3 secret key"));
                RealTemporalServer temporal = RealTemporalServer.start(
                        cli,
                        DurabilityHarness.freePort(),
                        DurabilityHarness.freePort(),
                        tmp.resolve("temporal/temporal.db"),
                        tmp.resolve("temporal/server.log"));
                RatingJudgeEndpoint judge = new RatingJudgeEndpoint(secrets.get("judge API key"));
                CodecServer codecServer = CodecServer.start("127.0.0.1", 0, new AesGcmPayloadCodec(keys), Set.of());
                TlsCapturingProxy tls = TlsCapturingProxy.start(tmp, temporal.port());
                DurabilityHarness harness = new DurabilityHarness(tmp)) {
            // The test's own client goes straight to the server; every tpo process goes through the TLS front.
            harness.connectTo(temporal.clientSettings().withPayloadKeys(keys), s3.clientSettings());
            S3Buckets.createIfMissing(harness.s3(), DevStack.BUCKET);
            String address = tls.address();
            String direct = temporal.clientSettings().address();

            Map<String, String> env = new HashMap<>();
            env.put("AWS_ACCESS_KEY_ID", secrets.get("S3 access key"));
            env.put("AWS_SECRET_ACCESS_KEY", secrets.get("S3 secret key"));
            env.put(JUDGE_KEY_ENV, secrets.get("judge API key"));
            env.put(REFUSED_KEY_ENV, secrets.get("refused judge API key"));
            env.put(TemporalSettings.API_KEY_ENV, secrets.get("Temporal API key"));
            env.put(PayloadKeys.KEYS_ENV, "k1:" + payloadKeyText);
            TpoProcesses tpo = new TpoProcesses(tmp, env, tls.trustStoreOptions());
            for (String role : List.of("control", "gpu")) {
                tpo.start(
                        "worker-" + role,
                        "worker",
                        "--role",
                        role,
                        "--address",
                        address,
                        "--s3-endpoint",
                        s3.endpoint().toString(),
                        "--s3-path-style",
                        "true",
                        "--work-dir",
                        tmp.resolve("work-" + role).toString());
            }

            ObjectNode spec = harness.spec(1);
            ((ObjectNode) spec.get("judge"))
                    .removeAll()
                    .put("type", "pointwise_llm")
                    .putObject("endpoint")
                    .put("base_url", judge.baseUrl())
                    .put("model", "rating-judge")
                    .put("api_key_env", JUDGE_KEY_ENV)
                    .put("max_retries", 0);
            ObjectNode refusedSpec = spec.deepCopy();
            refusedSpec.put("name", "refused-judge");
            ((ObjectNode) refusedSpec.get("judge").get("endpoint")).put("api_key_env", REFUSED_KEY_ENV);

            try {
                TpoProcesses.Finished start = tpo.run(
                        "cli-start",
                        "start",
                        "--spec",
                        write("spec.json", spec),
                        "--id",
                        "leak-run",
                        "--address",
                        address);
                TpoProcesses.Finished startRefused = tpo.run(
                        "cli-start-refused",
                        "start",
                        "--spec",
                        write("refused.json", refusedSpec),
                        "--id",
                        "refused",
                        "--address",
                        address);
                assertEquals(0, start.exitCode(), start.output());
                assertEquals(0, startRefused.exitCode(), startRefused.output());

                TpoProcesses.Finished waited = tpo.run("cli-wait", "wait", "leak-run", "--address", address);
                assertEquals(0, waited.exitCode(), waited.output() + "\nworker logs under " + tmp);
                TpoProcesses.Finished waitedRefused =
                        tpo.run("cli-wait-refused", "wait", "refused", "--address", address);
                assertEquals(1, waitedRefused.exitCode(), waitedRefused.output());
                assertTrue(waitedRefused.output().contains("401"), waitedRefused.output());
                for (String id : List.of("leak-run", "refused")) {
                    for (String command : List.of("status", "history")) {
                        TpoProcesses.Finished shown =
                                tpo.run("cli-" + command + "-" + id, command, id, "--address", address);
                        assertEquals(0, shown.exitCode(), shown.output());
                    }
                }
            } finally {
                tpo.close();
            }

            // The keys were really used: every request through the TLS front carried the Temporal API key (the dev
            // server ignores it), and the judge saw the accepted key and refused the other.
            List<String> authorizations = tls.headerValues("authorization");
            assertTrue(authorizations.size() > 10, "requests from workers and commands: " + authorizations.size());
            assertEquals(Set.of("Bearer " + secrets.get("Temporal API key")), Set.copyOf(authorizations));
            assertTrue(judge.accepted() > 0, "the judge endpoint rated responses");
            assertTrue(judge.refused() > 0, "the judge endpoint refused the wrong key");

            Map<String, String> corpus = new LinkedHashMap<>();
            WorkflowClient client = harness.client();
            StringWriter failure = new StringWriter();
            try {
                client.newUntypedWorkflowStub("refused").getResult(RunResult.class);
                throw new AssertionError("the run with the refused judge key completed");
            } catch (WorkflowFailedException e) {
                e.printStackTrace(new PrintWriter(failure));
            }
            assertTrue(failure.toString().contains("401"), failure.toString());
            corpus.put("the failed run's exception and stack", failure.toString());

            List<String> workflows = client.listExecutions("")
                    .map(WorkflowExecutionMetadata::getExecution)
                    .map(e -> e.getWorkflowId())
                    .distinct()
                    .toList();
            assertTrue(
                    workflows.containsAll(List.of("leak-run", "leak-run-iter-1", "refused", "refused-iter-1")),
                    workflows.toString());
            for (String id : workflows) {
                StringBuilder stored = new StringBuilder();
                for (HistoryEvent event : client.fetchHistory(id).getEvents()) {
                    stored.append(event.toByteString().toString(StandardCharsets.ISO_8859_1));
                }
                corpus.put(id + ": stored events", stored.toString());
                String plain = readable(temporal(cli, "workflow", "show", "-w", id, "--address", direct, "-o", "json"));
                corpus.put(id + ": temporal workflow show", plain);
                String decoded = readable(temporal(
                        cli,
                        "workflow",
                        "show",
                        "-w",
                        id,
                        "--address",
                        direct,
                        "-o",
                        "json",
                        "--codec-endpoint",
                        codecServer.url()));
                corpus.put(id + ": temporal workflow show through the codec server", decoded);
                // The payloads really were decoded: the spec's judge settings name the key's variable, not the key.
                if (id.equals("leak-run")) {
                    assertTrue(decoded.contains(JUDGE_KEY_ENV), decoded);
                }
            }

            List<Path> files;
            try (Stream<Path> walk = Files.walk(tmp)) {
                files = walk.filter(Files::isRegularFile).toList();
            }
            for (Path file : files) {
                corpus.put(tmp.relativize(file).toString(), Files.readString(file, StandardCharsets.ISO_8859_1));
            }
            Set<String> names = corpus.keySet();
            for (String expected : List.of("worker-control.log", "worker-gpu.log", "cli-wait-refused.log")) {
                assertTrue(names.contains(expected), expected + " in " + names);
            }
            for (String report : List.of("report.html", "report.json", "manifest/", "metrics.jsonl")) {
                assertTrue(
                        names.stream().anyMatch(n -> n.startsWith("s3/") && n.contains(report)),
                        "the store holds the run's " + report + ": " + names);
            }

            List<String> leaks = new ArrayList<>();
            secrets.forEach((what, secret) -> {
                Set<String> forms = forms(secret);
                if (what.equals("payload key")) {
                    forms.add(new String(payloadKey, StandardCharsets.ISO_8859_1));
                }
                corpus.forEach((where, text) -> {
                    for (String form : forms) {
                        if (text.contains(form)) {
                            leaks.add(what + " in " + where + (form.equals(secret) ? "" : " (encoded)"));
                            break;
                        }
                    }
                });
            });
            harness.note("looked for " + secrets.size() + " secrets in " + corpus.size() + " texts, "
                    + corpus.values().stream().mapToLong(String::length).sum() + " chars");
            assertEquals(List.of(), leaks, "credentials found; everything is under " + tmp);
        }
    }

    /** The secret, and its base64 (standard and URL-safe) wherever it starts relative to a 3-byte group. */
    static Set<String> forms(String secret) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(secret);
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        for (int offset = 0; offset < 3; offset++) {
            byte[] shifted = new byte[offset + bytes.length];
            System.arraycopy(bytes, 0, shifted, offset, bytes.length);
            // Only whole groups of the secret's own bytes: the first group holds the unknown bytes before it.
            int start = offset == 0 ? 0 : 3;
            int end = shifted.length - shifted.length % 3;
            byte[] groups = java.util.Arrays.copyOfRange(shifted, start, end);
            String core = Base64.getEncoder().withoutPadding().encodeToString(groups);
            forms.add(core);
            forms.add(core.replace('+', '-').replace('/', '_'));
        }
        return forms;
    }

    private static String token(SecureRandom random, int length) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    private String write(String name, ObjectNode spec) throws Exception {
        Path file = tmp.resolve(name);
        JSON.writeValue(file.toFile(), spec);
        return file.toString();
    }

    /** The JSON text with each string value that is base64 followed by its decoded bytes. */
    private static String readable(String json) throws Exception {
        StringBuilder out = new StringBuilder(json);
        List<JsonNode> nodes = new ArrayList<>(List.of(JSON.readTree(json)));
        while (!nodes.isEmpty()) {
            JsonNode node = nodes.remove(nodes.size() - 1);
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
        List<String> command = new ArrayList<>(List.of(cli.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), out);
        return out;
    }
}
