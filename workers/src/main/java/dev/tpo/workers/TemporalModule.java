package dev.tpo.workers;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
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

/** The connection to Temporal: gRPC stubs (plain, mTLS or API key) and the namespace's client. */
public final class TemporalModule extends AbstractModule {
    private static final Metadata.Key<String> NAMESPACE_HEADER =
            Metadata.Key.of("temporal-namespace", Metadata.ASCII_STRING_MARSHALLER);

    private final TemporalSettings settings;

    public TemporalModule(TemporalSettings settings) {
        this.settings = settings;
    }

    @Override
    protected void configure() {
        bind(TemporalSettings.class).toInstance(settings);
    }

    @Provides
    @Singleton
    WorkflowServiceStubs serviceStubs() {
        WorkflowServiceStubsOptions.Builder options = WorkflowServiceStubsOptions.newBuilder()
                .setTarget(settings.address());
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
        // Lazy: connecting here would make a worker fail at start while Temporal is still coming up; the first
        // call retries instead.
        return WorkflowServiceStubs.newServiceStubs(options.build());
    }

    @Provides
    @Singleton
    WorkflowClient workflowClient(WorkflowServiceStubs stubs) {
        return WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder()
                .setNamespace(settings.namespace())
                .build());
    }

    private static io.grpc.netty.shaded.io.netty.handler.ssl.SslContext sslContext(Path cert, Path key) {
        try (InputStream certIn = open(cert, "--tls-cert (" + TemporalSettings.TLS_CERT_ENV + ")");
             InputStream keyIn = open(key, "--tls-key (" + TemporalSettings.TLS_KEY_ENV + ")")) {
            return SimpleSslContextBuilder.forPKCS8(certIn, keyIn).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the TLS certificate " + cert + " or key " + key + ": "
                    + e.getMessage(), e);
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
