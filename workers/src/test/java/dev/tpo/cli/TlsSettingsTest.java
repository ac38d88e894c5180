package dev.tpo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpo.workers.TemporalConnection;
import dev.tpo.workers.TemporalSettings;
import dev.tpo.workers.TemporalTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The TLS settings without a server: the Temporal CLI's flag and variable names, TLS switched on by any of them or
 * an API key, and every file read before anything is dialled, a bad one named with its flag.
 */
class TlsSettingsTest {
    @TempDir
    static Path dir;

    private static TestCertificates certificates;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certificates = TestCertificates.make(dir.resolve("certs"));
    }

    private static TemporalSettings settings(Map<String, String> env, String... args) {
        TemporalOptions options = new TemporalOptions();
        new CommandLine(options).parseArgs(args);
        return options.settings(env);
    }

    @Test
    void temporalCliVariablesAndFlagsTurnTlsOn() {
        TemporalSettings fromEnv = settings(Map.of(
                "TEMPORAL_TLS_SERVER_CA_CERT_PATH", "/tls/ca.pem",
                "TEMPORAL_TLS_CLIENT_CERT_PATH", "/tls/client.pem",
                "TEMPORAL_TLS_CLIENT_KEY_PATH", "/tls/client.key",
                "TEMPORAL_TLS_SERVER_NAME", "temporal.internal"));
        assertEquals(
                new TemporalTls(
                        true,
                        Path.of("/tls/ca.pem"),
                        Path.of("/tls/client.pem"),
                        Path.of("/tls/client.key"),
                        "temporal.internal"),
                fromEnv.tls());
        assertTrue(fromEnv.usesTls() && fromEnv.tls().mutual());

        assertTrue(settings(Map.of("TEMPORAL_TLS", "true")).usesTls(), "TLS with system roots");
        assertTrue(settings(Map.of(), "--tls").tls().enabled());
        assertTrue(settings(Map.of(), "--tls-server-name", "x").usesTls(), "any TLS option implies TLS");
        assertFalse(settings(Map.of("TEMPORAL_TLS", "false")).usesTls());
        TemporalSettings apiKey = settings(Map.of("TEMPORAL_API_KEY", "k"));
        assertTrue(apiKey.usesTls() && !apiKey.tls().enabled(), "an API key implies TLS, as Temporal Cloud needs");
        TemporalSettings plain = settings(Map.of());
        assertFalse(plain.usesTls());
        assertNull(plain.tls().caCert());

        TemporalSettings flagged =
                settings(Map.of("TEMPORAL_TLS_SERVER_CA_CERT_PATH", "/tls/ca.pem"), "--tls-ca-path", "/mine/ca.pem");
        assertEquals(Path.of("/mine/ca.pem"), flagged.tls().caCert(), "the flag wins over the variable");

        TemporalSettings legacy =
                settings(Map.of("TEMPORAL_TLS_CERT", "/old/client.pem"), "--tls-key", "/old/client.key");
        assertEquals(Path.of("/old/client.pem"), legacy.tls().clientCert(), "the old variable still counts");
        assertEquals(Path.of("/old/client.key"), legacy.tls().clientKey(), "the old flag still counts");

        assertTrue(runError("list", "--tls-cert-path", "c.pem").contains("--tls-key-path"), "cert without key");
    }

    @Test
    void everyTlsFileIsCheckedBeforeDialling() throws Exception {
        Path missing = dir.resolve("nowhere.pem");
        String error = runError("list", "--tls-ca-path", missing.toString());
        assertTrue(
                error.contains("--tls-ca-path (TEMPORAL_TLS_SERVER_CA_CERT_PATH) " + missing + ": file not found"),
                error);

        Path notPem = Files.writeString(dir.resolve("ca.der"), "\u0030\u0082 binary, not PEM");
        error = runError("list", "--tls-ca-path", notPem.toString());
        assertTrue(error.contains("--tls-ca-path") && error.contains(notPem + " holds no PEM certificate"), error);

        Path broken = Files.writeString(
                dir.resolve("broken.pem"),
                "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n");
        error = runError("list", "--tls-cert-path", broken.toString(), "--tls-key-path", "k");
        assertTrue(error.contains("--tls-cert-path") && error.contains("is not a valid PEM certificate"), error);

        Path legacyKey = Files.writeString(
                dir.resolve("rsa.key"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        error = runError(
                "list",
                "--tls-cert-path",
                certificates.clientCert().toString(),
                "--tls-key-path",
                legacyKey.toString());
        assertTrue(error.contains("--tls-key-path") && error.contains("openssl pkcs8 -topk8"), error);

        error = runError(
                "list",
                "--tls-cert-path",
                certificates.clientCert().toString(),
                "--tls-key-path",
                certificates.clientCert().toString());
        assertTrue(error.contains("--tls-key-path") && error.contains("'CERTIFICATE'"), error);
    }

    @Test
    void goodFilesMakeStubsWithoutDialling() {
        TemporalSettings mutual = new TemporalSettings(
                "localhost:1",
                TemporalSettings.DEFAULT_NAMESPACE,
                new TemporalTls(
                        false, certificates.ca(), certificates.clientCert(), certificates.clientKey(), "localhost"),
                null);
        // Port 1 has no server: making the stubs must not dial, or a worker could not start before Temporal.
        try (TemporalConnection connection = TemporalConnection.open(mutual)) {
            assertEquals("localhost:1", connection.stubs().getOptions().getTarget());
            assertTrue(connection.stubs().getOptions().getSslContext() != null);
        }
    }

    /** The one-line error of a command that must fail with exit code 2 before it connects anywhere. */
    private static String runError(String... args) {
        CommandOutput output = CommandOutput.run(args);
        assertEquals(2, output.exitCode(), output.toString());
        return output.err().strip();
    }
}
