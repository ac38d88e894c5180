package dev.tpo.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates for a TLS test, made with the {@code openssl} CLI in a folder: a CA, a server certificate for
 * localhost only (not 127.0.0.1, so that dialling the IP needs a server name) and a client certificate signed by it, and a second CA that signed neither. EC P-256 keys,
 * PKCS#8 PEM (OpenSSL 3's default), valid for two days.
 */
record TestCertificates(Path ca, Path otherCa, Path serverCert, Path serverKey, Path clientCert, Path clientKey) {

    static TestCertificates make(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        TestCertificates made = new TestCertificates(
                dir.resolve("ca.pem"),
                dir.resolve("other-ca.pem"),
                dir.resolve("server.pem"),
                dir.resolve("server.key"),
                dir.resolve("client.pem"),
                dir.resolve("client.key"));
        selfSignedCa(dir, "ca", "TPO test CA");
        selfSignedCa(dir, "other-ca", "Some other CA");
        Path serverExt = dir.resolve("server.ext");
        Files.writeString(serverExt, "subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n");
        Path clientExt = dir.resolve("client.ext");
        Files.writeString(clientExt, "extendedKeyUsage=clientAuth\n");
        signed(dir, "server", "localhost", serverExt);
        signed(dir, "client", "tpo-worker", clientExt);
        return made;
    }

    private static void selfSignedCa(Path dir, String name, String subject) throws IOException, InterruptedException {
        openssl(
                dir,
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                name + ".key",
                "-out",
                name + ".pem",
                "-days",
                "2",
                "-subj",
                "/CN=" + subject);
    }

    private static void signed(Path dir, String name, String commonName, Path extensions)
            throws IOException, InterruptedException {
        openssl(
                dir,
                "req",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                name + ".key",
                "-out",
                name + ".csr",
                "-subj",
                "/CN=" + commonName);
        openssl(
                dir,
                "x509",
                "-req",
                "-in",
                name + ".csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-days",
                "2",
                "-extfile",
                extensions.toString(),
                "-out",
                name + ".pem");
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
    }
}
