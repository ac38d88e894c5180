package dev.tpo.activities;

import java.util.List;

/** The step implementations each worker role registers, so worker wiring never lists steps itself. */
public final class ActivitySet {
    private ActivitySet() {
    }

    /** Steps for the control task queue: cheap, no native model libraries needed. */
    public static List<Object> control(StepEnvironment env) {
        return List.of();
    }

    /** Steps for the GPU task queue: everything that runs a model. */
    public static List<Object> gpu(StepEnvironment env) {
        return List.of();
    }
}
