package dev.tpo.workers;

import com.google.inject.AbstractModule;

/** A worker process: its settings and the real step implementations. */
public final class WorkerModule extends AbstractModule {
    private final WorkerSettings settings;

    public WorkerModule(WorkerSettings settings) {
        this.settings = settings;
    }

    @Override
    protected void configure() {
        bind(WorkerSettings.class).toInstance(settings);
        bind(StepImplementations.class).to(ActivitySetSteps.class);
    }
}
