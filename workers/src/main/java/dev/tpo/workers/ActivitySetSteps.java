package dev.tpo.workers;

import dev.tpo.activities.ActivitySet;
import dev.tpo.activities.StepEnvironment;
import jakarta.inject.Inject;
import java.util.List;

/** The real steps, as the activities module lists them. */
public final class ActivitySetSteps implements StepImplementations {
    private final StepEnvironment environment;

    @Inject
    public ActivitySetSteps(StepEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public List<Object> control() {
        return ActivitySet.control(environment);
    }

    @Override
    public List<Object> gpu() {
        return ActivitySet.gpu(environment);
    }
}
