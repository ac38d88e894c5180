package dev.tpo.workers;

import dev.tpo.workers.codec.PayloadKeys;

/**
 * How to reach Temporal: a local server (plain gRPC), a self-hosted one over TLS or mTLS, or Temporal Cloud with
 * mTLS or an API key.
 *
 * @param address   host:port of the frontend (TEMPORAL_ADDRESS, default localhost:7233)
 * @param namespace TEMPORAL_NAMESPACE, default "default"; on Temporal Cloud the namespace id
 * @param tls       TLS towards the frontend (the TEMPORAL_TLS_* variables), never null: {@link TemporalTls#off()}
 *                  for plain gRPC; an API key turns TLS on regardless
 * @param apiKey    Temporal Cloud API key (TEMPORAL_API_KEY), null for none; never printed
 * @param payloadKeys the keys payloads are encrypted with (TPO_PAYLOAD_KEYS or --payload-key-file); none (never
 *                  null) for plain payloads. The client decodes with them either way, so one without keys reading
 *                  an encrypted run says so. Never printed.
 */
public record TemporalSettings(
        String address, String namespace, TemporalTls tls, String apiKey, PayloadKeys payloadKeys) {
    public static final String ADDRESS_ENV = "TEMPORAL_ADDRESS";
    public static final String NAMESPACE_ENV = "TEMPORAL_NAMESPACE";
    public static final String API_KEY_ENV = "TEMPORAL_API_KEY";
    public static final String DEFAULT_ADDRESS = "localhost:7233";
    public static final String DEFAULT_NAMESPACE = "default";

    /** Without payload encryption. */
    public TemporalSettings(String address, String namespace, TemporalTls tls, String apiKey) {
        this(address, namespace, tls, apiKey, PayloadKeys.none());
    }

    public TemporalSettings {
        payloadKeys = payloadKeys == null ? PayloadKeys.none() : payloadKeys;
        address = address == null || address.isBlank() ? DEFAULT_ADDRESS : address;
        namespace = namespace == null || namespace.isBlank() ? DEFAULT_NAMESPACE : namespace;
        apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
        tls = tls == null ? TemporalTls.off() : tls;
        if (!address.matches("[^\\s:/]+:\\d{1,5}")) {
            throw new IllegalArgumentException("--address (" + ADDRESS_ENV + "): '" + address + "' is not host:port");
        }
    }

    public static TemporalSettings local(int port) {
        return plain("localhost:" + port);
    }

    /** A server without TLS at {@code address}, default namespace. */
    public static TemporalSettings plain(String address) {
        return new TemporalSettings(address, DEFAULT_NAMESPACE, TemporalTls.off(), null);
    }

    /** These settings with payloads encrypted under {@code keys} (none: plain). */
    public TemporalSettings withPayloadKeys(PayloadKeys keys) {
        return new TemporalSettings(address, namespace, tls, apiKey, keys);
    }

    public boolean encryptsPayloads() {
        return !payloadKeys.isEmpty();
    }

    /** An API key implies TLS too: Temporal Cloud only accepts keys over TLS (the Temporal CLI does the same). */
    public boolean usesTls() {
        return tls.enabled() || apiKey != null;
    }

    @Override
    public String toString() {
        return "TemporalSettings[address=" + address + ", namespace=" + namespace + ", tls=" + tls + ", apiKey="
                + (apiKey == null ? null : "***") + ", payloadKeys="
                + (payloadKeys.isEmpty() ? "none" : payloadKeys.ids()) + "]";
    }
}
