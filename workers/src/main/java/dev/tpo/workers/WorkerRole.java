package dev.tpo.workers;

import java.util.Locale;

/** What a worker process serves: the workflows and cheap steps, the model steps, or both (one-host setups). */
public enum WorkerRole {
    CONTROL,
    GPU,
    ALL;

    public boolean servesControl() {
        return this != GPU;
    }

    public boolean servesGpu() {
        return this != CONTROL;
    }

    /** Accepts the lower-case names the command line and the compose files use. */
    public static WorkerRole parse(String name) {
        for (WorkerRole role : values()) {
            if (role.name().equalsIgnoreCase(name)) {
                return role;
            }
        }
        throw new IllegalArgumentException("--role: '" + name + "' is not one of control, gpu, all");
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
