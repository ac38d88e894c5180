package dev.tpo.cli;

import dev.tpo.workers.TemporalSettings;
import dev.tpo.workers.TemporalTls;
import dev.tpo.workers.codec.PayloadKeys;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where Temporal is: each flag falls back to its environment variable, then to the local default. The API key has
 * no flag on purpose: a flag shows up in {@code ps} and shell history.
 */
public final class TemporalOptions {
    private static final String LEGACY_CERT_ENV = "TEMPORAL_TLS_CERT";
    private static final String LEGACY_KEY_ENV = "TEMPORAL_TLS_KEY";

    @Option(
            names = "--address",
            paramLabel = "HOST:PORT",
            description = "Temporal frontend (env TEMPORAL_ADDRESS, default localhost:7233).")
    String address;

    @Option(names = "--namespace", description = "Temporal namespace (env TEMPORAL_NAMESPACE, default default).")
    String namespace;

    @Option(
            names = TemporalTls.ENABLED_FLAG,
            description = "TLS with the system's trusted roots (env TEMPORAL_TLS=true). On by itself when any "
                    + "--tls-* option or an API key (env TEMPORAL_API_KEY) is given.")
    Boolean tls;

    @Option(
            names = TemporalTls.CA_FLAG,
            paramLabel = "PEM",
            description = "CA certificate the server's certificate must chain to, instead of the system roots "
                    + "(env TEMPORAL_TLS_SERVER_CA_CERT_PATH).")
    Path tlsCa;

    @Option(
            names = TemporalTls.CERT_FLAG,
            paramLabel = "PEM",
            description = "Client certificate for mTLS (env TEMPORAL_TLS_CLIENT_CERT_PATH).")
    Path tlsCert;

    @Option(
            names = TemporalTls.KEY_FLAG,
            paramLabel = "PEM",
            description = "Its private key, PKCS#8 (env TEMPORAL_TLS_CLIENT_KEY_PATH).")
    Path tlsKey;

    /**
     * The old spellings of --tls-cert-path and --tls-key-path, hidden, with their variables TEMPORAL_TLS_CERT and
     * TEMPORAL_TLS_KEY: still accepted so that deployments keep their mTLS rather than fall back to plaintext.
     */
    @Option(names = "--tls-cert", hidden = true, paramLabel = "PEM")
    Path legacyTlsCert;

    @Option(names = "--tls-key", hidden = true, paramLabel = "PEM")
    Path legacyTlsKey;

    @Option(
            names = TemporalTls.SERVER_NAME_FLAG,
            paramLabel = "NAME",
            description = "The name in the server's certificate when it is not the address's host "
                    + "(env TEMPORAL_TLS_SERVER_NAME).")
    String tlsServerName;

    @Option(
            names = PayloadKeys.KEY_FILE_FLAG,
            paramLabel = "FILE",
            description = "Encrypt payloads (AES-256-GCM) with the keys in FILE, id:base64key per line, the first "
                    + "current (env TPO_PAYLOAD_KEY_FILE; or the keys themselves in env TPO_PAYLOAD_KEYS, "
                    + "comma-separated). Workers and commands need the same keys.")
    Path payloadKeyFile;

    TemporalSettings settings() {
        return settings(System.getenv());
    }

    TemporalSettings settings(Map<String, String> env) {
        return new TemporalSettings(
                EnvFallback.first(address, env, TemporalSettings.ADDRESS_ENV),
                EnvFallback.first(namespace, env, TemporalSettings.NAMESPACE_ENV),
                new TemporalTls(
                        Boolean.TRUE.equals(
                                EnvFallback.bool(tls, env, TemporalTls.ENABLED_ENV, TemporalTls.ENABLED_FLAG)),
                        EnvFallback.path(tlsCa, env, TemporalTls.CA_ENV),
                        withLegacy(tlsCert, legacyTlsCert, env, TemporalTls.CERT_ENV, LEGACY_CERT_ENV),
                        withLegacy(tlsKey, legacyTlsKey, env, TemporalTls.KEY_ENV, LEGACY_KEY_ENV),
                        EnvFallback.first(tlsServerName, env, TemporalTls.SERVER_NAME_ENV)),
                env.get(TemporalSettings.API_KEY_ENV),
                PayloadKeys.from(payloadKeyFile, env));
    }

    /** Either flag, then the current variable, then the old one. */
    private static Path withLegacy(
            Path flag, Path legacyFlag, Map<String, String> env, String variable, String legacyVariable) {
        Path current = EnvFallback.path(flag != null ? flag : legacyFlag, env, variable);
        return current != null ? current : EnvFallback.path(null, env, legacyVariable);
    }
}
