package dev.tpo.workers;

import dev.tpo.workers.codec.AesGcmPayloadCodec;
import io.grpc.Metadata;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.SimpleSslContextBuilder;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The connection to Temporal, without Guice: gRPC stubs (plain, mTLS or API key) and the namespace's client. The
 * run commands ({@code tpo start}, {@code status}, ...) open one per call and close it; workers get the same
 * objects through {@link TemporalModule}.
 *
 * @param stubs  the gRPC stubs; {@link #close()} shuts them down
 * @param client the namespace's workflow client on those stubs
 */
public record TemporalConnection(WorkflowServiceStubs stubs, WorkflowClient client) implements AutoCloseable {
    private static final Metadata.Key<String> NAMESPACE_HEADER =
            Metadata.Key.of("temporal-namespace", Metadata.ASCII_STRING_MARSHALLER);

    /** Stubs and client for these settings. Lazy: nothing is dialled until the first call. */
    public static TemporalConnection open(TemporalSettings settings) {
        WorkflowServiceStubs stubs = serviceStubs(settings);
        return new TemporalConnection(stubs, workflowClient(stubs, settings));
    }

    /**
     * The gRPC stubs. Lazy: connecting here would make a worker fail at start while Temporal is still coming up;
     * the first call retries instead.
     */
    public static WorkflowServiceStubs serviceStubs(TemporalSettings settings) {
        WorkflowServiceStubsOptions.Builder options =
                WorkflowServiceStubsOptions.newBuilder().setTarget(settings.address());
        if (settings.usesMutualTls()) {
            options.setSslContext(sslContext(settings.tlsCert(), settings.tlsKey()));
        }
        if (settings.apiKey() != null) {
            String key = settings.apiKey();
            options.setEnableHttps(true).addApiKey(() -> key);
            // API-key endpoints route by this header rather than by the host name.
            Metadata headers = new Metadata();
            headers.put(NAMESPACE_HEADER, settings.namespace());
            options.setHeaders(headers);
        }
        return WorkflowServiceStubs.newServiceStubs(options.build());
    }

    /**
     * The settings' namespace's client on {@code stubs}. Its data converter is the SDK's default inside the payload
     * codec ({@link AesGcmPayloadCodec}): payloads are encrypted when the settings have keys, and an encrypted
     * payload read without them fails with a message naming what to set. Workers built on this client share it.
     */
    public static WorkflowClient workflowClient(WorkflowServiceStubs stubs, TemporalSettings settings) {
        return workflowClient(stubs, settings, new PayloadJson());
    }

    /** Like {@link #workflowClient(WorkflowServiceStubs, TemporalSettings)}, its JSON payloads through {@code json}. */
    public static WorkflowClient workflowClient(
            WorkflowServiceStubs stubs, TemporalSettings settings, PayloadJson json) {
        return WorkflowClient.newInstance(
                stubs,
                WorkflowClientOptions.newBuilder()
                        .setNamespace(settings.namespace())
                        .setDataConverter(
                                AesGcmPayloadCodec.dataConverter(settings.payloadKeys(), json.dataConverter()))
                        .build());
    }

    @Override
    public void close() {
        stubs.shutdown();
    }

    private static io.grpc.netty.shaded.io.netty.handler.ssl.SslContext sslContext(Path cert, Path key) {
        try (InputStream certIn = open(cert, "--tls-cert (" + TemporalSettings.TLS_CERT_ENV + ")");
                InputStream keyIn = open(key, "--tls-key (" + TemporalSettings.TLS_KEY_ENV + ")")) {
            return SimpleSslContextBuilder.forPKCS8(certIn, keyIn).build();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read the TLS certificate " + cert + " or key " + key + ": " + e.getMessage(), e);
        }
    }

    private static InputStream open(Path file, String what) throws IOException {
        try {
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(what + ": file not found: " + file);
        }
    }
}
