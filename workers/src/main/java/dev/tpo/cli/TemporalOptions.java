package dev.tpo.cli;

import dev.tpo.workers.TemporalSettings;
import dev.tpo.workers.codec.PayloadKeys;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where Temporal is: each flag falls back to its environment variable, then to the local default. The API key has
 * no flag on purpose: a flag shows up in {@code ps} and shell history.
 */
public final class TemporalOptions {
    @Option(
            names = "--address",
            paramLabel = "HOST:PORT",
            description = "Temporal frontend (env TEMPORAL_ADDRESS, default localhost:7233).")
    String address;

    @Option(names = "--namespace", description = "Temporal namespace (env TEMPORAL_NAMESPACE, default default).")
    String namespace;

    @Option(
            names = "--tls-cert",
            paramLabel = "PEM",
            description = "Client certificate for mTLS (env TEMPORAL_TLS_CERT).")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "Its private key, PKCS#8 (env TEMPORAL_TLS_KEY).")
    Path tlsKey;

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
                EnvFallback.path(tlsCert, env, TemporalSettings.TLS_CERT_ENV),
                EnvFallback.path(tlsKey, env, TemporalSettings.TLS_KEY_ENV),
                env.get(TemporalSettings.API_KEY_ENV),
                PayloadKeys.from(payloadKeyFile, env));
    }
}
