package dev.tpo.workers;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * The gRPC client's TLS context from {@link TemporalTls}. Every file is read and parsed here, before anything is
 * dialled: a missing, unreadable or non-PEM file stops the process with the flag and the file named, rather than
 * surfacing later as a handshake failure deep inside Netty.
 */
final class TemporalTlsContext {
    private static final Pattern PEM_BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    // The algorithms a Temporal client key comes in; PKCS#8 names its algorithm, but the JDK wants it up front.
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448");

    private TemporalTlsContext() {}

    static SslContext build(TemporalTls tls) {
        SslContextBuilder builder = GrpcSslContexts.forClient();
        if (tls.caCert() != null) {
            builder.trustManager(certificates(tls.caCert(), TemporalTls.CA_FLAG, TemporalTls.CA_ENV));
        }
        if (tls.mutual()) {
            X509Certificate[] chain = certificates(tls.clientCert(), TemporalTls.CERT_FLAG, TemporalTls.CERT_ENV);
            builder.keyManager(privateKey(tls.clientKey()), chain);
        }
        try {
            return builder.build();
        } catch (SSLException e) {
            throw new IllegalArgumentException("TLS settings for Temporal: " + e.getMessage(), e);
        }
    }

    private static X509Certificate[] certificates(Path file, String flag, String env) {
        String pem = read(file, flag, env);
        Matcher block = PEM_BLOCK.matcher(pem);
        StringBuilder certificates = new StringBuilder();
        while (block.find()) {
            if (block.group(1).equals("CERTIFICATE")) {
                certificates.append(block.group()).append('\n');
            }
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(
                    where(flag, env, file) + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        try {
            return CertificateFactory.getInstance("X.509")
                    .generateCertificates(
                            new ByteArrayInputStream(certificates.toString().getBytes(StandardCharsets.US_ASCII)))
                    .stream()
                    .map(X509Certificate.class::cast)
                    .toArray(X509Certificate[]::new);
        } catch (CertificateException e) {
            throw new IllegalArgumentException(
                    where(flag, env, file) + " is not a valid PEM certificate: " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Path file) {
        String where = where(TemporalTls.KEY_FLAG, TemporalTls.KEY_ENV, file);
        Matcher block = PEM_BLOCK.matcher(read(file, TemporalTls.KEY_FLAG, TemporalTls.KEY_ENV));
        if (!block.find()) {
            throw new IllegalArgumentException(where + " is not a PEM private key (-----BEGIN PRIVATE KEY-----)");
        }
        String type = block.group(1);
        if (type.equals("RSA PRIVATE KEY") || type.equals("EC PRIVATE KEY")) {
            throw new IllegalArgumentException(where + " is a " + type.replace(" PRIVATE KEY", "")
                    + " key in its legacy PEM form; give it as PKCS#8: openssl pkcs8 -topk8 -nocrypt -in " + file
                    + " -out client.pkcs8.key");
        }
        if (!type.equals("PRIVATE KEY")) {
            throw new IllegalArgumentException(where + " holds '" + type
                    + "', not an unencrypted PKCS#8 private key (-----BEGIN PRIVATE KEY-----)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(block.group(2).trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + " is not valid PEM: " + e.getMessage(), e);
        }
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // Not this algorithm; the next one may read it.
            }
        }
        throw new IllegalArgumentException(where + " is not an RSA, EC or EdDSA PKCS#8 private key");
    }

    private static String read(Path file, String flag, String env) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(where(flag, env, file) + ": file not found");
        } catch (IOException e) {
            throw new IllegalArgumentException(where(flag, env, file) + ": cannot read it: " + e, e);
        }
    }

    private static String where(String flag, String env, Path file) {
        return flag + " (" + env + ") " + file;
    }
}
