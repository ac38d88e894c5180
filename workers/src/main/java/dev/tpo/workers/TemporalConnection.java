package dev.tpo.workers;

import dev.tpo.workers.codec.AesGcmPayloadCodec;
import io.grpc.Metadata;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;

/**
 * The connection to Temporal, without Guice: gRPC stubs (plain, TLS, mTLS or API key) and the namespace's client. The
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
     * the first call retries instead. The TLS files are read here though: a bad one is a settings error, named at
     * once.
     */
    public static WorkflowServiceStubs serviceStubs(TemporalSettings settings) {
        WorkflowServiceStubsOptions.Builder options =
                WorkflowServiceStubsOptions.newBuilder().setTarget(settings.address());
        if (settings.usesTls()) {
            options.setSslContext(TemporalTlsContext.build(settings.tls()));
            String serverName = settings.tls().serverName();
            if (serverName != null) {
                // gRPC takes the TLS server name (SNI and the name checked in the certificate) from the authority.
                options.setChannelInitializer(channel -> channel.overrideAuthority(serverName));
            }
        }
        if (settings.apiKey() != null) {
            String key = settings.apiKey();
            options.addApiKey(() -> key);
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
}
