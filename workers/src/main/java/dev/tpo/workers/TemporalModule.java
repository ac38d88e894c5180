package dev.tpo.workers;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;

/**
 * The connection to Temporal for the worker's injector: {@link TemporalConnection}'s stubs and client as
 * singletons. The run commands use {@link TemporalConnection} directly; Guice stays at the worker edges.
 */
public final class TemporalModule extends AbstractModule {
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
        return TemporalConnection.serviceStubs(settings);
    }

    @Provides
    @Singleton
    WorkflowClient workflowClient(WorkflowServiceStubs stubs, PayloadJson json) {
        return TemporalConnection.workflowClient(stubs, settings, json);
    }

    /** One per client, so that a worker can warm up the mapper its workflows convert payloads with. */
    @Provides
    @Singleton
    PayloadJson payloadJson() {
        return new PayloadJson();
    }
}
