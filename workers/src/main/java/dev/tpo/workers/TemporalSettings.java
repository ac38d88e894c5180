package dev.tpo.workers;

import dev.tpo.workers.codec.PayloadKeys;
import java.nio.file.Path;

/**
 * How to reach Temporal: a local server (plain gRPC), a self-hosted one with mTLS, or Temporal Cloud with mTLS or
 * an API key.
 *
 * @param address   host:port of the frontend (TEMPORAL_ADDRESS, default localhost:7233)
 * @param namespace TEMPORAL_NAMESPACE, default "default"; on Temporal Cloud the namespace id
 * @param tlsCert   client certificate PEM for mTLS (TEMPORAL_TLS_CERT), null for none
 * @param tlsKey    its private key PEM (TEMPORAL_TLS_KEY), set exactly when {@code tlsCert} is
 * @param apiKey    Temporal Cloud API key (TEMPORAL_API_KEY), null for none; never printed
 * @param payloadKeys the keys payloads are encrypted with (TPO_PAYLOAD_KEYS or --payload-key-file); none (never
 *                  null) for plain payloads. The client decodes with them either way, so one without keys reading
 *                  an encrypted run says so. Never printed.
 */
public record TemporalSettings(
        String address, String namespace, Path tlsCert, Path tlsKey, String apiKey, PayloadKeys payloadKeys) {
    public static final String ADDRESS_ENV = "TEMPORAL_ADDRESS";
    public static final String NAMESPACE_ENV = "TEMPORAL_NAMESPACE";
    public static final String TLS_CERT_ENV = "TEMPORAL_TLS_CERT";
    public static final String TLS_KEY_ENV = "TEMPORAL_TLS_KEY";
    public static final String API_KEY_ENV = "TEMPORAL_API_KEY";
    public static final String DEFAULT_ADDRESS = "localhost:7233";
    public static final String DEFAULT_NAMESPACE = "default";

    /** Without payload encryption. */
    public TemporalSettings(String address, String namespace, Path tlsCert, Path tlsKey, String apiKey) {
        this(address, namespace, tlsCert, tlsKey, apiKey, PayloadKeys.none());
    }

    public TemporalSettings {
        payloadKeys = payloadKeys == null ? PayloadKeys.none() : payloadKeys;
        address = address == null || address.isBlank() ? DEFAULT_ADDRESS : address;
        namespace = namespace == null || namespace.isBlank() ? DEFAULT_NAMESPACE : namespace;
        apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert (" + TLS_CERT_ENV + ") and --tls-key (" + TLS_KEY_ENV
                    + ") go together: give both or neither");
        }
        if (!address.matches("[^\\s:/]+:\\d{1,5}")) {
            throw new IllegalArgumentException("--address (" + ADDRESS_ENV + "): '" + address + "' is not host:port");
        }
    }

    public static TemporalSettings local(int port) {
        return new TemporalSettings("localhost:" + port, DEFAULT_NAMESPACE, null, null, null);
    }

    /** These settings with payloads encrypted under {@code keys} (none: plain). */
    public TemporalSettings withPayloadKeys(PayloadKeys keys) {
        return new TemporalSettings(address, namespace, tlsCert, tlsKey, apiKey, keys);
    }

    public boolean encryptsPayloads() {
        return !payloadKeys.isEmpty();
    }

    public boolean usesMutualTls() {
        return tlsCert != null;
    }

    /** An API key implies TLS too: Temporal Cloud only accepts keys over TLS. */
    public boolean usesTls() {
        return usesMutualTls() || apiKey != null;
    }

    @Override
    public String toString() {
        return "TemporalSettings[address=" + address + ", namespace=" + namespace + ", tlsCert=" + tlsCert
                + ", tlsKey=" + tlsKey + ", apiKey=" + (apiKey == null ? null : "***") + ", payloadKeys="
                + (payloadKeys.isEmpty() ? "none" : payloadKeys.ids()) + "]";
    }
}
