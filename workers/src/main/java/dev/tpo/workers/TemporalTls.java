package dev.tpo.workers;

import java.nio.file.Path;

/**
 * TLS towards the Temporal frontend, with the Temporal CLI's flag and variable names so one environment serves both
 * {@code temporal} and {@code tpo}. TLS is on when {@code enabled} or when any file or the server name is given, as
 * in the CLI; with no CA the JVM's system roots verify the server.
 *
 * @param enabled    --tls (TEMPORAL_TLS): TLS with the system roots when nothing else is set
 * @param caCert     --tls-ca-path (TEMPORAL_TLS_SERVER_CA_CERT_PATH): PEM CA certificate(s) the server's certificate
 *                   must chain to, instead of the system roots; null for those
 * @param clientCert --tls-cert-path (TEMPORAL_TLS_CLIENT_CERT_PATH): PEM client certificate for mTLS, null for none
 * @param clientKey  --tls-key-path (TEMPORAL_TLS_CLIENT_KEY_PATH): its PKCS#8 PEM private key, set exactly when
 *                   {@code clientCert} is
 * @param serverName --tls-server-name (TEMPORAL_TLS_SERVER_NAME): the name the server's certificate must carry (and
 *                   the SNI sent), when it differs from the address's host; null for that host
 */
public record TemporalTls(boolean enabled, Path caCert, Path clientCert, Path clientKey, String serverName) {
    public static final String ENABLED_FLAG = "--tls";
    public static final String ENABLED_ENV = "TEMPORAL_TLS";
    public static final String CA_FLAG = "--tls-ca-path";
    public static final String CA_ENV = "TEMPORAL_TLS_SERVER_CA_CERT_PATH";
    public static final String CERT_FLAG = "--tls-cert-path";
    public static final String CERT_ENV = "TEMPORAL_TLS_CLIENT_CERT_PATH";
    public static final String KEY_FLAG = "--tls-key-path";
    public static final String KEY_ENV = "TEMPORAL_TLS_CLIENT_KEY_PATH";
    public static final String SERVER_NAME_FLAG = "--tls-server-name";
    public static final String SERVER_NAME_ENV = "TEMPORAL_TLS_SERVER_NAME";

    public TemporalTls {
        serverName = serverName == null || serverName.isBlank() ? null : serverName.trim();
        if ((clientCert == null) != (clientKey == null)) {
            throw new IllegalArgumentException(CERT_FLAG + " (" + CERT_ENV + ") and " + KEY_FLAG + " (" + KEY_ENV
                    + ") go together: give both or neither");
        }
        enabled = enabled || caCert != null || clientCert != null || serverName != null;
    }

    /** Plain gRPC: nothing set. */
    public static TemporalTls off() {
        return new TemporalTls(false, null, null, null, null);
    }

    public boolean mutual() {
        return clientCert != null;
    }

    /** What a message about the server's certificate names as the trust it was checked against. */
    String trustDescription() {
        return caCert == null
                ? "the system's trusted roots (give a private CA with " + CA_FLAG + " / " + CA_ENV + ")"
                : "the CA in " + CA_FLAG + " (" + caCert + ")";
    }
}
